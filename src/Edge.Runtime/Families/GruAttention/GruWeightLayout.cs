namespace Edge.Families.GruAttention;

/// <summary>How a package stores its GRU weights.</summary>
public enum GruWeightLayout
{
    /// <summary>PyTorch nn.GRU: <c>gru.weight_ih_l{k} [3H,in]</c>, gates (r, z, n), separate input and hidden biases.</summary>
    PyTorch,
    /// <summary>ONNX GRU operator: <c>gru.W_l{k} [1,3H,in]</c>, <c>gru.R_l{k} [1,3H,H]</c>, <c>gru.B_l{k} [1,6H]</c> = [Wb; Rb], gates (z, r, h).</summary>
    Onnx,
    /// <summary>Keras GRU (reset_after): <c>gru.kernel_l{k} [in,3H]</c>, <c>gru.recurrent_kernel_l{k} [H,3H]</c>, <c>gru.bias_l{k} [2,3H]</c>, gates (z, r, h).</summary>
    Keras,
}
