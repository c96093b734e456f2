package crew.routing.linux.internal;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

import crew.routing.linux.netlink.NetlinkFormatException;
import crew.routing.linux.netlink.NetlinkMessage;
import crew.routing.linux.netlink.RtnetlinkCodec;

/**
 * Datagrams captured once from this kernel (captures/*.hex, one datagram per line) in a namespace holding a veth
 * pair, IPv4/IPv6 addresses, a gateway route, a metric, a blackhole, a multipath route, a route in table 1000 and
 * policy rules; captures/*.json is what `ip -j` printed for the same namespace.
 */
final class Captures {

    private Captures() {
    }

    static List<byte[]> datagrams(String name) throws IOException {
        List<byte[]> result = new ArrayList<>();
        for (String line : text("captures/" + name + ".hex").split("\n")) {
            if (!line.isBlank()) {
                result.add(HexFormat.of().parseHex(line.trim()));
            }
        }
        return result;
    }

    static List<NetlinkMessage> messages(String name) throws IOException, NetlinkFormatException {
        List<NetlinkMessage> all = new ArrayList<>();
        for (byte[] d : datagrams(name)) {
            all.addAll(NetlinkMessage.split(d, d.length));
        }
        return all;
    }

    static Map<Integer, String> linkNames() throws Exception {
        Map<Integer, String> names = new HashMap<>();
        for (NetlinkMessage m : messages("links")) {
            if (m.type() == crew.routing.linux.netlink.Rtnl.RTM_NEWLINK) {
                RtnetlinkCodec.Link link = RtnetlinkCodec.decodeLink(m);
                names.put(link.index(), link.name());
            }
        }
        return names;
    }

    static String text(String resource) throws IOException {
        try (InputStream in = Captures.class.getResourceAsStream("/" + resource)) {
            if (in == null) {
                throw new IOException("test resource " + resource + " missing");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
