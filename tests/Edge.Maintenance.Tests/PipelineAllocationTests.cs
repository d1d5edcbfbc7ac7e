using Edge.Maintenance.Laser;
using Edge.Maintenance.Pipeline;

namespace Edge.Maintenance.Tests;

public sealed class PipelineAllocationTests
{
    [Fact]
    public void A_reading_allocates_nothing_through_detection_RUL_and_end_of_life()
    {
        // Unit 18's 3145 readings, looped with time running on: referencing, scoring, the first flag (with the RUL
        // warm-up replay) and end of life all happen inside the 2000 + 20,000 measured steps, then again after a reset.
        var unit = HeldOutUnits.Readings(18);
        using var p = new MaintenancePipeline(HeldOutUnits.Models);
        long alerts = 0;
        StepAllocation.AssertNone(i =>
        {
            if (i > 0 && i % unit.Length == 0) p.Reset();
            var r = unit[i % unit.Length];
            var step = p.Step(r with { Time = DateTimeOffset.UnixEpoch.AddHours(2.0 * i) });
            if (step.IsAlert) alerts++;
        });
        Assert.True(alerts > 3000);
    }
}
