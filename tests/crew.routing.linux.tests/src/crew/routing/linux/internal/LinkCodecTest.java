package crew.routing.linux.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteOrder;
import java.util.HexFormat;
import java.util.List;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import crew.model.net.IpAddress;
import crew.routing.api.InterfaceControl.InterfaceAddress;
import crew.routing.linux.netlink.NetlinkMessage;
import crew.routing.linux.netlink.RtnetlinkCodec;
import crew.routing.linux.netlink.Rtnl;

/** Link and address requests: exact bytes, and back through the decoders. No socket, no root. */
class LinkCodecTest {

    @BeforeAll
    static void littleEndian() {
        assertEquals(ByteOrder.LITTLE_ENDIAN, ByteOrder.nativeOrder(), "the expected bytes below are written for x86-64");
    }

    private static String hex(byte[] b) {
        return HexFormat.of().formatHex(b);
    }

    private static NetlinkMessage one(byte[] bytes) throws Exception {
        List<NetlinkMessage> messages = NetlinkMessage.split(bytes, bytes.length);
        assertEquals(1, messages.size());
        return messages.get(0);
    }

    @Test
    void givenUpAndMtu_whenEncoded_thenTheBytesIpLinkSetSends() throws Exception {
        byte[] b = RtnetlinkCodec.setLinkRequest(7, "tun7", true, 1400);
        assertEquals("34000000" + "1000" + "0500" + "07000000" + "00000000" // nlmsghdr: 52 bytes, RTM_NEWLINK, REQUEST|ACK, seq 7
                + "00" + "00" + "0000" + "00000000" + "01000000" + "01000000" // ifinfomsg: index 0, flags IFF_UP, change IFF_UP
                + "0900" + "0300" + "74756e3700" + "000000" // IFLA_IFNAME "tun7\0" padded
                + "0800" + "0400" + "78050000", // IFLA_MTU 1400
                hex(b));
        RtnetlinkCodec.Link link = RtnetlinkCodec.decodeLink(one(b));
        assertEquals(new RtnetlinkCodec.Link(0, "tun7", true, 1400, null), link);
    }

    @Test
    void givenDownOrMtuOnly_whenEncoded_thenOnlyWhatChangesIsInTheChangeMask() throws Exception {
        byte[] down = RtnetlinkCodec.setLinkRequest(1, "eth0", false, 0);
        assertEquals("00000000" + "01000000", hex(down).substring(2 * 24, 2 * 32), "flags 0, change IFF_UP");
        assertEquals(16 + 16 + 12, down.length, "no IFLA_MTU");
        byte[] mtu = RtnetlinkCodec.setLinkRequest(1, "eth0", null, 9000);
        assertEquals("00000000" + "00000000", hex(mtu).substring(2 * 24, 2 * 32), "state untouched");
        assertEquals(9000, RtnetlinkCodec.decodeLink(one(mtu)).mtu());
        assertThrows(IllegalArgumentException.class, () -> RtnetlinkCodec.setLinkRequest(1, "a-name-of-16-byt", true, 0));
        assertThrows(IllegalArgumentException.class, () -> RtnetlinkCodec.setLinkRequest(1, "a/b", true, 0));
        assertThrows(IllegalArgumentException.class, () -> RtnetlinkCodec.setLinkRequest(1, "", true, 0));
    }

    @Test
    void givenAnIpv4Address_whenEncoded_thenIfaLocalAndIfaAddressLikeIpAddrAdd() throws Exception {
        byte[] b = RtnetlinkCodec.addressRequest(Rtnl.RTM_NEWADDR, Rtnl.NLM_F_CREATE | Rtnl.NLM_F_EXCL, 9, 5, IpAddress.parse("10.0.0.2"), 24);
        assertEquals("28000000" + "1400" + "0506" + "09000000" + "00000000" // 40 bytes, RTM_NEWADDR, REQUEST|ACK|EXCL|CREATE
                + "02" + "18" + "00" + "00" + "05000000" // ifaddrmsg: AF_INET, /24, no flags, universe, index 5
                + "0800" + "0200" + "0a000002" // IFA_LOCAL
                + "0800" + "0100" + "0a000002", // IFA_ADDRESS
                hex(b));
        RtnetlinkCodec.InterfaceAddress a = RtnetlinkCodec.decodeAddress(one(b));
        assertEquals(new RtnetlinkCodec.InterfaceAddress(5, IpAddress.parse("10.0.0.2"), 24, 0), a);
    }

    @Test
    void givenAnIpv6Address_whenEncoded_thenIfaAddressAndNoDad() throws Exception {
        byte[] b = RtnetlinkCodec.addressRequest(Rtnl.RTM_NEWADDR, Rtnl.NLM_F_CREATE | Rtnl.NLM_F_EXCL, 3, 2, IpAddress.parse("2001:db8::2"), 64);
        assertEquals("0a" + "40" + "02" + "00" + "02000000", hex(b).substring(32, 48), "AF_INET6, /64, IFA_F_NODAD, universe, index 2");
        assertEquals("1400" + "0100" + "20010db8000000000000000000000002", hex(b).substring(48), "IFA_ADDRESS only");
        RtnetlinkCodec.InterfaceAddress a = RtnetlinkCodec.decodeAddress(one(b));
        assertEquals(new RtnetlinkCodec.InterfaceAddress(2, IpAddress.parse("2001:db8::2"), 64, Rtnl.IFA_F_NODAD), a);
        byte[] delete = RtnetlinkCodec.addressRequest(Rtnl.RTM_DELADDR, 0, 4, 2, IpAddress.parse("2001:db8::2"), 64);
        assertEquals(0, RtnetlinkCodec.decodeAddress(one(delete)).flags(), "a delete asks for no flags");
        assertEquals(Rtnl.RTM_DELADDR, one(delete).type());
        byte[] loopback = RtnetlinkCodec.addressRequest(Rtnl.RTM_NEWADDR, 0, 4, 1, IpAddress.parse("127.0.0.2"), 8);
        assertEquals(Rtnl.RT_SCOPE_HOST, loopback[16 + 3] & 0xFF, "127/8 has host scope");
    }

    @Test
    void givenAVethPair_whenEncoded_thenLinkInfoNestsThePeerWithItsNamespace() throws Exception {
        byte[] b = RtnetlinkCodec.vethRequest(11, "va", "vb", 42);
        NetlinkMessage m = one(b);
        assertEquals(Rtnl.RTM_NEWLINK, m.type());
        assertEquals(Rtnl.NLM_F_REQUEST | Rtnl.NLM_F_ACK | Rtnl.NLM_F_CREATE | Rtnl.NLM_F_EXCL, m.flags());
        assertEquals(new RtnetlinkCodec.Link(0, "va", false, 0, "veth"), RtnetlinkCodec.decodeLink(m));
        assertEquals(new RtnetlinkCodec.VethPeer("vb", 42), RtnetlinkCodec.decodeVethPeer(m));
        // IFLA_LINKINFO (flagged nested) = IFLA_INFO_KIND "veth" + IFLA_INFO_DATA (nested) = VETH_INFO_PEER (a struct first)
        String h = hex(b);
        int linkInfo = 2 * (16 + 16 + 8);
        assertEquals("3800" + "1280", h.substring(linkInfo, linkInfo + 8), "IFLA_LINKINFO of 56 bytes, type 18 | NLA_F_NESTED");
        assertEquals("0900" + "0100" + "7665746800" + "000000", h.substring(linkInfo + 8, linkInfo + 8 + 24), "IFLA_INFO_KIND veth");
        assertEquals("2800" + "0280" + "2400" + "0100", h.substring(linkInfo + 32, linkInfo + 48), "IFLA_INFO_DATA 40, VETH_INFO_PEER 36");
        assertEquals(16 + 16 + 8 + 56, b.length);

        byte[] samePlace = RtnetlinkCodec.vethRequest(12, "va", "vb", -1);
        assertEquals(new RtnetlinkCodec.VethPeer("vb", -1), RtnetlinkCodec.decodeVethPeer(one(samePlace)));
        assertNull(RtnetlinkCodec.decodeVethPeer(one(RtnetlinkCodec.setLinkRequest(1, "va", true, 0))));
    }

    @Test
    void givenGetAndDelete_whenEncoded_thenTheNameIsTheKey() throws Exception {
        NetlinkMessage get = one(RtnetlinkCodec.getLinkRequest(5, "lo"));
        assertEquals(Rtnl.RTM_GETLINK, get.type());
        assertEquals(Rtnl.NLM_F_REQUEST | Rtnl.NLM_F_ACK, get.flags(), "one link, not a dump");
        assertEquals("lo", RtnetlinkCodec.decodeLink(get).name());
        NetlinkMessage del = one(RtnetlinkCodec.deleteLinkRequest(6, "va"));
        assertEquals(Rtnl.RTM_DELLINK, del.type());
        assertEquals(new RtnetlinkCodec.Link(0, "va", false, 0, null), RtnetlinkCodec.decodeLink(del));
    }

    @Test
    void givenCapturedLinks_whenDecoded_thenMtuAndKindAreRead() throws Exception {
        boolean sawVeth = false;
        for (NetlinkMessage m : Captures.messages("links")) {
            if (m.type() == Rtnl.RTM_NEWLINK) {
                RtnetlinkCodec.Link l = RtnetlinkCodec.decodeLink(m);
                assertTrue(l.mtu() > 0, l.toString());
                if ("lo".equals(l.name())) {
                    assertEquals(65536, l.mtu());
                    assertNull(l.kind());
                }
                sawVeth |= "veth".equals(l.kind());
            }
        }
        assertTrue(sawVeth, "the capture holds a veth pair");
    }

    @Test
    void givenInterfaceAddressText_whenParsed_thenHostBitsKeptAndErrorsClear() {
        assertEquals("10.0.0.2/24", InterfaceAddress.parse("10.0.0.2/24").toString());
        assertEquals("2001:db8::2/64", InterfaceAddress.parse("2001:db8::2/64").toString());
        assertEquals(IpAddress.parse("10.0.0.2"), InterfaceAddress.parse("10.0.0.2/24").address());
        IllegalArgumentException missing = assertThrows(IllegalArgumentException.class, () -> InterfaceAddress.parse("10.0.0.2"));
        assertTrue(missing.getMessage().contains("missing '/prefix'"), missing.getMessage());
        IllegalArgumentException tooLong = assertThrows(IllegalArgumentException.class, () -> InterfaceAddress.parse("10.0.0.2/33"));
        assertTrue(tooLong.getMessage().contains("longer than 32"), tooLong.getMessage());
        assertThrows(IllegalArgumentException.class, () -> InterfaceAddress.parse("2001:db8::2/129"));
        assertThrows(IllegalArgumentException.class, () -> InterfaceAddress.parse("10.0.0/24"));
        assertThrows(IllegalArgumentException.class, () -> new InterfaceAddress(IpAddress.parse("10.0.0.1"), -1));
    }
}
