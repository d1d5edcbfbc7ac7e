using Edge.Maintenance.Pipeline;
using Edge.Monitor.Config;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Hosting.Systemd;
using Microsoft.Extensions.Logging;

namespace Edge.Monitor.Hosting;

/// <summary>Builds and runs the daemon's host: the worker, console logging (journald's format under systemd), SIGTERM handling.</summary>
public static class MonitorHost
{
    /// <summary>Runs <paramref name="config"/> until SIGTERM/Ctrl-C or <paramref name="cancellationToken"/>.</summary>
    public static Task RunAsync(MonitorConfig config, Func<MaintenanceModels> defaultModels, CancellationToken cancellationToken = default) =>
        RunAsync(config, defaultModels, LogLevel.Information, cancellationToken);

    /// <summary>Runs <paramref name="config"/> until SIGTERM/Ctrl-C or <paramref name="cancellationToken"/>, logging at <paramref name="logLevel"/> and above.</summary>
    public static async Task RunAsync(MonitorConfig config, Func<MaintenanceModels> defaultModels, LogLevel logLevel, CancellationToken cancellationToken)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Services.AddSystemd();
        builder.Logging.AddSimpleConsole(o => { o.SingleLine = true; o.TimestampFormat = "yyyy-MM-ddTHH:mm:ss.fffZ "; o.UseUtcTimestamp = true; });
        builder.Logging.SetMinimumLevel(logLevel);
        builder.Services.Configure<HostOptions>(o => o.ShutdownTimeout = TimeSpan.FromSeconds(30));
        builder.Services.AddSingleton(config);
        builder.Services.AddSingleton(defaultModels);
        builder.Services.AddHostedService(sp => new MonitorWorker(config, defaultModels, sp.GetRequiredService<ILogger<MonitorWorker>>(), sp.GetService<ISystemdNotifier>()));
        using var host = builder.Build();
        await host.RunAsync(cancellationToken).ConfigureAwait(false);
    }
}
