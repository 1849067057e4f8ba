namespace MultiOrg.Tests.Harness;

/// <summary>
/// For a test that moves a fake clock on by weeks: the fake clock fires a periodic timer once for every period it passes
/// over, so the once-a-minute mail-outbox job would claim and run tens of thousands of due times (100 s on SQLite).
/// A daily interval keeps that job to a few runs; the tests that exercise the outbox tick it themselves.
/// </summary>
public static class LongJumps
{
    public const string Setting = "Jobs:mail-outbox:Interval";

    public const string Value = "1.00:00:00";
}
