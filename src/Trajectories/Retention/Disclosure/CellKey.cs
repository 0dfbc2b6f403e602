namespace Trajectories.Retention.Disclosure;

/// <summary>
/// A cell key: the sum, modulo 2^32, of the record keys of the cell's contributors. Order does not matter and the same
/// contributors always give the same key; record keys are uniform, so any non-empty cell's key is too.
/// </summary>
public static class CellKey
{
    public static uint Of(IEnumerable<uint> recordKeys)
    {
        uint key = 0;
        foreach (var k in recordKeys) key = unchecked(key + k);
        return key;
    }
}
