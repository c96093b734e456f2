package crew.model.io;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.List;
import java.util.Random;
import java.util.function.BiFunction;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A seeded mutation fuzzer over the example inputs: every parser must either accept a mutated input or reject it
 * with a {@link SourceFormatException} naming a line inside the input; anything else (NullPointerException,
 * IndexOutOfBounds, NumberFormatException...) is a crasher. The normal build runs each parser for
 * {@code crew.fuzz.seconds} (2 s); inputs that crash a parser (found by longer campaigns) are kept in {@link #CRASHERS}.
 */
class ParserFuzzTest {

    /**
     * Regression inputs (parser name, input): edge cases at the spots the mutator hits (a keyword without its value,
     * a non-number after link#, a wrapped IPv6 row cut short, a duplicate JSON key, a huge number), plus any crasher a
     * campaign finds. Each must fail cleanly or parse.
     */
    static final List<String[]> CRASHERS = List.of(
            new String[] {"ip", "default via inet"},
            new String[] {"ip", "10.0.0.0/8 nexthop"},
            new String[] {"netstat", "Internet:\nDestination Gateway Flags Netif\n10/8 link#x UC en0\n"},
            new String[] {"netstat", "Internet:\nDestination Gateway Flags Netif\n1.2.3.4.5 link#1 UC en0\n"},
            new String[] {"route print", "IPv6 Route Table\nActive Routes:\n 1 2 ::/0\n"},
            new String[] {"ovpn", "remote\n"},
            new String[] {"json", "{\"Routes\": [{\"DestinationCidr\": 5, \"TargetSubnet\": \"s\"}]}"},
            new String[] {"json", "{\"Routes\": [{\"DestinationCidr\": \"10.0.0.0/8\", \"TargetSubnet\": \"s\"}], \"Routes\": 1}"},
            new String[] {"workspace", "{\"Format\": \"crew-design/1\", \"ClientVpnEndpoint\": {\"VpnPort\": 1e99}}"},
            new String[] {"workspace", "[]"});

    private static BiFunction<String, String, Object> parser(String name) {
        return switch (name) {
            case "ip" -> LinuxRouteText::parse;
            case "netstat" -> NetstatRouteText::parse;
            case "route print" -> WindowsRouteText::parse;
            case "ovpn" -> OvpnProfileText::parse;
            case "json" -> AwsCliJson::readRoutes;
            case "endpoints" -> AwsCliJson::readEndpoints;
            case "rules" -> AwsCliJson::readAuthorizationRules;
            case "targets" -> AwsCliJson::readTargetNetworks;
            case "workspace" -> WorkspaceFile::read;
            default -> throw new IllegalArgumentException(name);
        };
    }

    private static void check(String parserName, String input) {
        try {
            parser(parserName).apply("fuzz", input);
        } catch (SourceFormatException e) {
            long lines = input.chars().filter(c -> c == '\n').count() + 1;
            assertTrue(e.line() >= 0 && e.line() <= lines + 1, "line " + e.line() + " outside the input: " + e.getMessage());
            assertTrue(e.getMessage().startsWith("fuzz"), e.getMessage());
        } catch (RuntimeException e) {
            fail(parserName + " crashed with " + e + " on input:\n" + input, e);
        }
    }

    @Test
    void givenKnownCrashers_whenParsed_thenCleanErrors() {
        for (String[] c : CRASHERS) {
            check(c[0], c[1]);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"ip:devices/linux-ip-route.txt", "ip:devices/linux-ip-route-table-all.txt", "netstat:devices/macos-netstat-rn.txt",
        "route print:devices/windows-route-print.txt", "ovpn:profiles/split-tunnel.ovpn", "json:aws-cli/describe-client-vpn-routes.json",
        "endpoints:aws-cli/describe-client-vpn-endpoints.json", "rules:aws-cli/describe-client-vpn-authorization-rules.json",
        "targets:aws-cli/describe-client-vpn-target-networks.json", "workspace:designs/split-tunnel.crew.json"})
    void givenMutatedRealInputs_whenParsed_thenNeverCrash(String spec) throws Exception {
        String parserName = spec.substring(0, spec.indexOf(':'));
        String seed = Examples.text(spec.substring(spec.indexOf(':') + 1));
        check(parserName, seed); // the example itself parses or fails cleanly
        double seconds = Double.parseDouble(System.getProperty("crew.fuzz.seconds", "2").isBlank() ? "2" : System.getProperty("crew.fuzz.seconds", "2"));
        Random random = new Random(spec.hashCode());
        long end = System.nanoTime() + (long) (seconds * 1e9);
        String alphabet = "0123456789abcdef.:/%# \n\t-=<>\"{}[],x\\";
        String[] tokens = {"default", "via", "dev", "metric", "table", "link#", "On-link", "255.255.255.0", "::", "/", "0/0", "net_gateway",
            "route", "<ca>", "</ca>", "\"Routes\"", "null", "true", "1e9", "-1", "99999999999", "Internet6:", "IPv6 Route Table", "nexthop"};
        int iterations = 0;
        while (System.nanoTime() < end) {
            StringBuilder s = new StringBuilder(seed);
            int edits = 1 + random.nextInt(8);
            for (int e = 0; e < edits && s.length() > 0; e++) {
                int pos = random.nextInt(s.length());
                switch (random.nextInt(6)) {
                    case 0 -> s.deleteCharAt(pos);
                    case 1 -> s.insert(pos, alphabet.charAt(random.nextInt(alphabet.length())));
                    case 2 -> s.setCharAt(pos, alphabet.charAt(random.nextInt(alphabet.length())));
                    case 3 -> s.insert(pos, tokens[random.nextInt(tokens.length)]);
                    case 4 -> {
                        int len = Math.min(s.length() - pos, 1 + random.nextInt(40));
                        String chunk = s.substring(pos, pos + len);
                        s.insert(random.nextInt(s.length()), chunk);
                    }
                    default -> s.delete(pos, Math.min(s.length(), pos + 1 + random.nextInt(20)));
                }
            }
            check(parserName, s.toString());
            iterations++;
        }
        System.out.println("fuzz " + spec + ": " + iterations + " mutated inputs in " + seconds + " s, no crash");
    }
}
