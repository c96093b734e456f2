package crew.model.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class OvpnProfileTextTest {

    @Test
    void givenAwsExport_whenParsed_thenRemotesRoutesAndInlineBlocks() throws Exception {
        OvpnProfile p = OvpnProfileText.parse("split.ovpn", Examples.text("profiles/split-tunnel.ovpn"));
        assertEquals(1, p.remotes().size());
        assertEquals(443, p.port());
        assertEquals("udp", p.proto());
        assertTrue(p.inline().get("ca").contains("BEGIN CERTIFICATE"));
        assertTrue(p.inline().containsKey("cert"));
        assertTrue(p.inline().containsKey("key"));
        assertEquals(2, p.routes().size());
        assertEquals(OvpnProfile.RouteGateway.NET_GATEWAY, p.routes().get(0).gateway());
        assertFalse(p.routes().get(0).isProtected());
        assertEquals("172.31.0.0/16", p.routes().get(1).destination().toString());
        assertTrue(p.routes().get(1).isProtected());
        assertTrue(p.unsupported().isEmpty(), p.unsupported().toString());
    }

    @Test
    void givenSamlProfile_whenParsed_thenAuthFederateFlagged() {
        OvpnProfile p = OvpnProfileText.parse("saml.ovpn", "client\ndev tun\nproto tcp\nremote x.example 1194\nauth-user-pass\nauth-federate\nfrobnicate 1\n");
        assertEquals(2, p.unsupported().size());
        assertEquals("auth-federate", p.unsupported().get(0).name());
        assertEquals(6, p.unsupported().get(0).line());
        assertTrue(p.unsupported().get(0).note().contains("patched"));
        assertEquals("frobnicate", p.unsupported().get(1).name());
        assertEquals(1194, p.port());
    }

    @Test
    void givenMalformedProfiles_whenParsed_thenLocatedErrors() {
        SourceFormatException unclosed = assertThrows(SourceFormatException.class,
                () -> OvpnProfileText.parse("p", "client\nremote a 443\n<ca>\n-----BEGIN CERTIFICATE-----\n"));
        assertEquals(3, unclosed.line());
        SourceFormatException mask = assertThrows(SourceFormatException.class,
                () -> OvpnProfileText.parse("p", "client\nremote a 443\nroute 10.0.0.0 255.0.255.0\n"));
        assertEquals(3, mask.line());
        SourceFormatException mixed = assertThrows(SourceFormatException.class,
                () -> OvpnProfileText.parse("p", "client\nremote a 443\nroute 10.0.0.0 ffff::\n"));
        assertTrue(mixed.getMessage().contains("mixed families"), mixed.getMessage());
        SourceFormatException port = assertThrows(SourceFormatException.class, () -> OvpnProfileText.parse("p", "client\nremote a 70000\n"));
        assertEquals(2, port.line());
        assertThrows(SourceFormatException.class, () -> OvpnProfileText.parse("p", "client\ndev tun\n"));
    }
}
