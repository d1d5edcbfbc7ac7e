namespace Edge.Cli.Arguments;

/// <summary>What an option's or a positional's value is: it decides how it is checked before any work, and what a shell completes for it.</summary>
internal enum ValueKind
{
    /// <summary>No value: the option is a flag.</summary>
    Flag,

    /// <summary>Free text (a name, a transcript, a list the command parses).</summary>
    Text,

    /// <summary>A number; the command checks its range.</summary>
    Number,

    /// <summary>One of a fixed list of words.</summary>
    Choice,

    /// <summary>A file to read: it must exist and not be a folder.</summary>
    InputFile,

    /// <summary>A folder to read: it must exist.</summary>
    InputFolder,

    /// <summary>A model package to read, a folder or a zip: it must exist.</summary>
    Package,

    /// <summary>A file to write: not a folder, in a folder that exists.</summary>
    OutputFile,

    /// <summary>A folder to create: not a file, not a folder with files in it, in a folder that exists.</summary>
    OutputFolder,

    /// <summary>A voice: a file, or the name of one of the package's voices (the command resolves it).</summary>
    Voice,
}
