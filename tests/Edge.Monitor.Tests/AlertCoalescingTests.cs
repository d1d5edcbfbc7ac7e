using Edge.Maintenance.Pipeline;
using Edge.Monitor.Checkpoints;
using Edge.Monitor.Streams;

namespace Edge.Monitor.Tests;

/// <summary>
/// A stream in alarm raises one alert at the alarm's start, at most one "still_active" per repeat_every readings, and one
/// "cleared" after clear_after quiet readings, decided on the readings alone (the crash test checks that a replay from a
/// checkpoint raises the same).
/// </summary>
public sealed class AlertCoalescingTests
{
    private static string Describe(IEnumerable<(long Position, string Kind)> alerts) => string.Join(" ", alerts.Select(a => $"{a.Kind}@{a.Position}"));

    [Fact]
    public void Unit_37_in_alarm_from_reading_768_to_its_end_raises_five_alerts_for_its_412_flagged_readings()
    {
        string csv = ReferenceAlerts.Unit(37);
        Assert.Equal(412, ReferenceAlerts.Flagged(csv));
        // Defaults (a still_active every 100 readings, cleared after 12 quiet ones): the two quiet readings at 769-770 do
        // not clear the alarm, end of life at 1160 counts as its latest alert, and the run ends at 1181 still in alarm.
        Assert.Equal("anomaly@768 still_active@868 still_active@968 still_active@1068 end_of_life@1160", Describe(ReferenceAlerts.Kinds(csv)));
    }

    [Fact]
    public void Unit_38_opens_an_alarm_that_clears_after_twelve_quiet_readings_and_a_second_that_runs_to_end_of_life()
    {
        string csv = ReferenceAlerts.Unit(38);
        Assert.Equal(361, ReferenceAlerts.Flagged(csv));
        // Flagged at 960-972, 976-989, 992-1004, 1008-1010 (quiet spells of 3 and 2 readings), then from 1244 on.
        Assert.Equal("anomaly@960 cleared@1022 alert@1244 still_active@1344 still_active@1444 end_of_life@1543", Describe(ReferenceAlerts.Kinds(csv)));
        // Every 10 readings and cleared after 3 quiet ones: the spell at 973-975 clears the first alarm, 990-991 does not.
        var tight = ReferenceAlerts.Kinds(csv, repeatEvery: 10, clearAfter: 3);
        Assert.Equal("anomaly@960 still_active@970 cleared@975 alert@976 still_active@986 still_active@996 cleared@1007 alert@1008 cleared@1013 alert@1244 still_active@1254",
            Describe(tight.Take(11)));
        Assert.Equal(41, tight.Count);
    }

    [Fact]
    public void With_repeat_every_1_and_clear_after_1_each_flagged_reading_raises_an_alert_as_before_coalescing()
    {
        string csv = ReferenceAlerts.Unit(37);
        var alerts = ReferenceAlerts.Kinds(csv, repeatEvery: 1, clearAfter: 1);
        Assert.Equal(412, alerts.Count(a => a.Kind != "cleared"));
        Assert.Equal(["cleared@769"], alerts.Where(a => a.Kind == "cleared").Select(a => $"{a.Kind}@{a.Position}"));
    }

    [Fact]
    public void An_open_alarm_saved_in_a_checkpoint_comes_back_as_it_was_and_an_index_of_version_1_restores_with_none()
    {
        string folder = Directory.CreateTempSubdirectory("edge-monitor-alarm-").FullName;
        try
        {
            using var models = MaintenanceModels.LoadFolder(ReferenceAlerts.ModelsFolder);
            using var pipeline = new MaintenancePipeline(models);
            var store = new CheckpointStore(folder);
            store.Save("u37", pipeline.SaveStateBytes(), 900, new AlarmState(true, 768, 868, 2));
            Assert.Equal(900, store.Restore("u37", pipeline, out var alarm));
            Assert.Equal(new AlarmState(true, 768, 868, 2), alarm);

            // The daemon before coalescing wrote version 1 without an alarm.
            string index = store.IndexPath("u37");
            File.WriteAllText(index, File.ReadAllText(index).Replace("\"version\":2", "\"version\":1").Split(",\"alarm\"")[0] + "}");
            Assert.Equal(900, store.Restore("u37", pipeline, out alarm));
            Assert.Equal(AlarmState.Clear, alarm);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }
}
