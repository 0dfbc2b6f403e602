namespace Trajectories.Careers;

/// <summary>
/// A setting the service cannot start with: reported as one line and a non-zero exit, not a stack trace.
/// </summary>
public sealed class ConfigurationError(string message) : InvalidOperationException(message);
