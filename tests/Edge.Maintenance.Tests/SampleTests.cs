using Edge.Samples.LaserPdm;

namespace Edge.Maintenance.Tests;

/// <summary>The laser-pdm sample's core on one held-out unit.</summary>
public sealed class SampleTests
{
    [Fact]
    public void The_sample_replays_unit_38_and_reports_its_first_alert_and_end_of_life()
    {
        var printed = new List<Edge.Maintenance.Pipeline.MaintenanceStep>();
        var r = UnitReplay.Run(HeldOutUnits.Models, HeldOutUnits.Csv(38), printed.Add);
        var label = HeldOutUnits.Of(38);
        Assert.Equal("unit_038", r.Unit);
        Assert.Equal(1562, r.Samples);
        Assert.Equal(0, r.Rejected);
        Assert.InRange(r.FirstAlertHours!.Value, label.AnomalyHours - 593, label.AnomalyHours - 589);   // the detector's early flag at 1920 h
        Assert.InRange(r.EndOfLifeHours!.Value - label.EndOfLifeHours, 0, 20);
        Assert.True(r.LastRulHours < 50, $"RUL {r.LastRulHours} h two days past end of life");
        Assert.Equal(r.Alerts, printed.Count(s => s.IsAlert));   // the sample sees every flag, and the end of life
        Assert.Equal(r.EndOfLifeHours, UnitReplay.Hours(Assert.Single(printed, s => s.IsEndOfLife).Reading.Time));
    }
}
