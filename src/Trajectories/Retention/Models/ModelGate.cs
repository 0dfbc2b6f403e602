using System.Collections.Concurrent;

namespace Trajectories.Retention.Models;

/// <summary>
/// Model fits take seconds of a core (docs/benchmarks.md): a node fits at most half its cores' worth at once (the
/// others wait, and give up when their caller does), and a caller one at a time (a second request while one runs is
/// a 429), so that one key cannot fill the machine with them (a hostile review ran 40 at once: 4.4 minutes each,
/// and curves took 50 times longer meanwhile).
/// </summary>
public sealed class ModelGate
{
    private readonly SemaphoreSlim _fits = new(Math.Max(1, Environment.ProcessorCount / 2));
    private readonly ConcurrentDictionary<string, byte> _callers = new();
    private readonly ConcurrentDictionary<string, ModelReport> _answers = new();

    /// <summary>
    /// Analysts' answers by release and question: a release is frozen, so the same question has the same answer
    /// until the next one, and asking again costs nothing (and needs no fit, so no lease). At most 256 are kept.
    /// </summary>
    public ModelReport? Answered(string question) => _answers.GetValueOrDefault(question);

    public void Remember(string question, ModelReport answer)
    {
        if (_answers.Count >= 256) _answers.Clear();
        _answers[question] = answer;
    }

    /// <summary>A lease to fit, or null when this caller has a fit running or waiting already.</summary>
    public async Task<IAsyncDisposable?> EnterAsync(string caller, CancellationToken ct)
    {
        if (!_callers.TryAdd(caller, 0)) return null;
        try
        {
            await _fits.WaitAsync(ct);
        }
        catch
        {
            _callers.TryRemove(caller, out _);
            throw;
        }
        return new Lease(this, caller);
    }

    private sealed class Lease(ModelGate gate, string caller) : IAsyncDisposable
    {
        public ValueTask DisposeAsync()
        {
            gate._fits.Release();
            gate._callers.TryRemove(caller, out _);
            return ValueTask.CompletedTask;
        }
    }
}
