package crew.routing.linux.internal;

import java.util.List;
import java.util.Set;
import java.util.TreeSet;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;

import crew.model.device.DeviceRoute;
import crew.routing.api.PolicyRule;

/** Reads `ip -j route` / `ip -j rule` output into comparable one-line keys, the same keys CREW's objects give. */
final class IpJson {

    private IpJson() {
    }

    static Set<String> routeKeys(String ipJson, boolean ipv6) {
        Set<String> keys = new TreeSet<>();
        if (ipJson.isBlank()) {
            return keys;
        }
        for (JsonElement e : JsonParser.parseString(ipJson).getAsJsonArray()) {
            JsonObject o = e.getAsJsonObject();
            String type = str(o, "type", "unicast");
            String dst = str(o, "dst", "");
            if (!dst.equals("default") && dst.contains(":") != ipv6) {
                continue; // `ip route show table all` lists both families
            }
            if (dst.equals("default")) {
                dst = ipv6 ? "::/0" : "0.0.0.0/0";
            } else if (!dst.contains("/")) {
                dst = dst + (ipv6 ? "/128" : "/32");
            }
            String gateway = str(o, "gateway", null);
            String dev = str(o, "dev", null);
            if (o.has("nexthops")) {
                JsonObject first = o.getAsJsonArray("nexthops").get(0).getAsJsonObject();
                gateway = str(first, "gateway", null);
                dev = str(first, "dev", null);
            }
            String table = str(o, "table", "main");
            int tableId = switch (table) {
                case "main" -> 254;
                case "local" -> 255;
                case "default" -> 253;
                default -> Integer.parseInt(table);
            };
            int metric = o.has("metric") ? o.get("metric").getAsInt() : 0;
            keys.add(key(type, normalize(dst), gateway == null ? null : crew.model.net.IpAddress.parse(gateway).toString(), dev, tableId, metric));
        }
        return keys;
    }

    private static String normalize(String cidr) {
        return crew.model.net.Cidr.parse(cidr).toString();
    }

    static Set<String> routeKeys(List<DeviceRoute> routes, boolean ipv6) {
        Set<String> keys = new TreeSet<>();
        for (DeviceRoute r : routes) {
            if (r.destination().family().bits() == (ipv6 ? 128 : 32)) {
                keys.add(key(r.type().name().toLowerCase(), r.destination().toString(), r.gateway() == null ? null : r.gateway().toString(),
                        r.interfaceName(), r.table(), r.metric()));
            }
        }
        return keys;
    }

    private static String key(String type, String dst, String gateway, String dev, int table, int metric) {
        return type + " " + dst + (gateway == null ? "" : " via " + gateway) + (dev == null ? "" : " dev " + dev) + " table " + table
                + " metric " + metric;
    }

    static Set<String> ruleKeys(String ipJson) {
        Set<String> keys = new TreeSet<>();
        JsonArray array = JsonParser.parseString(ipJson).getAsJsonArray();
        for (JsonElement e : array) {
            JsonObject o = e.getAsJsonObject();
            String src = str(o, "src", "all");
            if (o.has("srclen")) {
                src = src + "/" + o.get("srclen").getAsInt();
            }
            String dst = str(o, "dst", "all");
            if (o.has("dstlen")) {
                dst = dst + "/" + o.get("dstlen").getAsInt();
            }
            keys.add(o.get("priority").getAsInt() + " from " + src + " to " + dst + " table " + str(o, "table", "-"));
        }
        return keys;
    }

    static Set<String> ruleKeys(List<PolicyRule> rules, boolean ipv6) {
        Set<String> keys = new TreeSet<>();
        for (PolicyRule r : rules) {
            if ((r.family().bits() == 128) != ipv6) {
                continue;
            }
            String table = r.table() == 254 ? "main" : r.table() == 255 ? "local" : r.table() == 253 ? "default" : String.valueOf(r.table());
            String from = r.from() == null ? "all" : r.from().network() + "/" + r.from().prefixLength();
            String to = r.to() == null ? "all" : r.to().network() + "/" + r.to().prefixLength();
            keys.add(r.priority() + " from " + from + " to " + to + " table " + ("lookup".equals(r.action()) ? table : "-"));
        }
        return keys;
    }

    private static String str(JsonObject o, String name, String defaultValue) {
        return o.has(name) && !o.get(name).isJsonNull() ? o.get(name).getAsString() : defaultValue;
    }
}
