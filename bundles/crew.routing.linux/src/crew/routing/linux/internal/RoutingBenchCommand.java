package crew.routing.linux.internal;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.osgi.service.component.annotations.Component;

import crew.cli.Arguments;
import crew.cli.CliCommand;
import crew.cli.Command;
import crew.cli.CommandContext;
import crew.cli.CommandException;
import crew.cli.ExitCode;
import crew.cli.Option;
import crew.model.device.DeviceRoute;
import crew.model.device.RouteType;
import crew.model.net.Cidr;
import crew.model.net.IpAddress;
import crew.routing.api.RoutingEvent;
import crew.routing.api.RoutingException;
import crew.routing.api.Subscription;

/**
 * {@code crew bench routing}: event latency and dump speed of the Linux backend, measured in a private network
 * namespace this command creates (root; nothing of the device's own table is touched).
 */
@Component(service = CliCommand.class)
@Command(name = "bench routing", summary = "measure routing event latency and full-dump time (Linux, root; private namespace)")
public class RoutingBenchCommand implements CliCommand {

    @Override
    public String name() {
        return "bench routing";
    }

    @Override
    public String summary() {
        return "measure routing event latency and full-dump time (Linux, root; private namespace)";
    }

    @Override
    public String description() {
        return """
                In a private network namespace: a tamper socket adds blackhole routes one by one (waiting for each
                kernel acknowledgement) while a subscriber receives the kernel's events. Prints the latency from the
                tamper's request to the event's delivery and from its acknowledgement to the delivery (negative when
                the event arrived before the acknowledgement), as p50/p99/max over --samples after --warmup, and the
                cold first event. Then fills the table with --dump-routes routes and times full dumps (median of 5).""";
    }

    @Override
    public List<Option> options() {
        return List.of(Option.value("samples", "N", "measured events (default 2000)"),
                Option.value("warmup", "N", "events before measuring (default 500)"),
                Option.value("dump-routes", "N", "routes in the table for the dump timing (default 100000)"));
    }

    @Override
    public int run(CommandContext context, Arguments arguments) throws CommandException {
        int samples = arguments.intValue("samples", 2000);
        int warmup = arguments.intValue("warmup", 500);
        int dumpRoutes = arguments.intValue("dump-routes", 100_000);
        if (!LinuxRoutingBackend.hasNetAdmin()) {
            throw new CommandException(ExitCode.UNAVAILABLE, "needs root (CAP_NET_ADMIN) to create a private network namespace");
        }
        Map<String, Object> result = new LinkedHashMap<>();
        try (LinuxRoutingBackend watcher = LinuxRoutingBackend.inPrivateNamespace(); LinuxRoutingBackend tamper = watcher.alsoIn()) {
            Map<Cidr, Long> delivered = new ConcurrentHashMap<>();
            CountDownLatch[] pending = new CountDownLatch[1];
            try (Subscription s = watcher.subscribe(e -> {
                if (e instanceof RoutingEvent.RouteAdded a) {
                    delivered.put(a.route().destination(), System.nanoTime());
                    CountDownLatch l = pending[0];
                    if (l != null) {
                        l.countDown();
                    }
                }
            })) {
                long[] fromRequest = new long[samples];
                long[] fromAck = new long[samples];
                long coldRequest = -1;
                for (int i = 0; i < warmup + samples; i++) {
                    Cidr dst = Cidr.of(IpAddress.ofIpv4(0x0A000000 | i), 32);
                    pending[0] = new CountDownLatch(1);
                    long t0 = System.nanoTime();
                    tamper.add(new DeviceRoute(dst, null, null, 0, 0, DeviceRoute.MAIN_TABLE, null, null, RouteType.BLACKHOLE, null, Set.of()));
                    long t1 = System.nanoTime();
                    if (!pending[0].await(2, TimeUnit.SECONDS)) {
                        throw new CommandException(ExitCode.FAILED, "no event for route " + dst + " within 2 s");
                    }
                    long t2 = delivered.get(dst);
                    if (i == 0) {
                        coldRequest = t2 - t0;
                    }
                    if (i >= warmup) {
                        fromRequest[i - warmup] = t2 - t0;
                        fromAck[i - warmup] = t2 - t1;
                    }
                }
                result.put("samples", samples);
                result.put("cold_first_event_us", coldRequest / 1000.0);
                result.put("request_to_event_us", percentiles(fromRequest));
                result.put("ack_to_event_us", percentiles(fromAck));
            }
            // fill the table for the dump timing
            List<DeviceRoute> fill = new ArrayList<>(dumpRoutes);
            for (int i = 0; i < dumpRoutes; i++) {
                fill.add(new DeviceRoute(Cidr.of(IpAddress.ofIpv4(0x0B000000 | i), 32), null, null, 0, 0, DeviceRoute.MAIN_TABLE, null, null,
                        RouteType.BLACKHOLE, null, Set.of()));
            }
            long f0 = System.nanoTime();
            int[] errnos = tamper.addAll(fill);
            long fillNanos = System.nanoTime() - f0;
            long failed = Arrays.stream(errnos).filter(x -> x != 0).count();
            long[] dumps = new long[5];
            int size = 0;
            for (int i = 0; i < dumps.length; i++) {
                long d0 = System.nanoTime();
                size = watcher.routes().size();
                dumps[i] = System.nanoTime() - d0;
            }
            Arrays.sort(dumps);
            result.put("dump_routes", size);
            result.put("dump_ms_median", dumps[2] / 1e6);
            result.put("dump_ms_min", dumps[0] / 1e6);
            result.put("batch_add_ms", fillNanos / 1e6);
            result.put("batch_add_failed", failed);
        } catch (RoutingException e) {
            throw new CommandException(e.isPermissionDenied() ? ExitCode.UNAVAILABLE : ExitCode.FAILED, e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CommandException(ExitCode.FAILED, "interrupted");
        }
        if (context.json()) {
            context.printJson(result);
        } else {
            context.out().println("Routing backend benchmark (Linux rtnetlink, private network namespace, Java " + System.getProperty("java.version") + ")");
            result.forEach((k, v) -> context.out().println("  " + k + ": " + v));
        }
        return ExitCode.OK;
    }

    private static Map<String, Double> percentiles(long[] nanos) {
        long[] s = nanos.clone();
        Arrays.sort(s);
        Map<String, Double> m = new LinkedHashMap<>();
        m.put("p50", s[s.length / 2] / 1000.0);
        m.put("p90", s[(int) (s.length * 0.90)] / 1000.0);
        m.put("p99", s[(int) (s.length * 0.99)] / 1000.0);
        m.put("max", s[s.length - 1] / 1000.0);
        m.put("min", s[0] / 1000.0);
        return m;
    }
}
