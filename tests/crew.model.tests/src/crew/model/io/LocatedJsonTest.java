package crew.model.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

import crew.model.endpoint.EndpointDesign;

/** The JSON readers' limits and positions: nesting, duplicate keys, exact CIDR text, line and column of every value. */
class LocatedJsonTest {

    private static String design() throws Exception {
        return Examples.text("designs/split-tunnel.crew.json");
    }

    @Test
    void givenArraysNested100000Deep_whenRead_thenLocatedErrorAndNoStackOverflow() {
        String deep = "[".repeat(100_000) + "]".repeat(100_000);
        SourceFormatException e = assertThrows(SourceFormatException.class, () -> WorkspaceFile.read("deep.json", deep));
        assertEquals(1, e.line(), e.getMessage());
        assertEquals(LocatedJson.MAX_DEPTH + 1, e.column(), e.getMessage());
        assertTrue(e.getMessage().startsWith("deep.json:1:" + (LocatedJson.MAX_DEPTH + 1) + ": "), e.getMessage());
        assertTrue(e.getMessage().contains("nested more than " + LocatedJson.MAX_DEPTH + " levels"), e.getMessage());
        assertThrows(SourceFormatException.class, () -> AwsCliJson.readRoutes("deep.json", "{\"Routes\": " + deep + "}"));
    }

    @Test
    void givenObjectsNestedDeepOverLines_whenRead_thenTheLineOfTheOneTooDeep() {
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < 100_000; i++) {
            text.append("{\"a\":\n");
        }
        SourceFormatException e = assertThrows(SourceFormatException.class, () -> WorkspaceFile.read("deep.json", text.toString()));
        assertEquals(LocatedJson.MAX_DEPTH + 1, e.line(), e.getMessage());
        assertEquals(1, e.column(), e.getMessage());
    }

    @Test
    void givenNestingAtTheLimit_whenRead_thenOnlyTheDesignRulesComplain() {
        String atLimit = "[".repeat(LocatedJson.MAX_DEPTH) + "]".repeat(LocatedJson.MAX_DEPTH);
        SourceFormatException e = assertThrows(SourceFormatException.class, () -> WorkspaceFile.read("x.json", atLimit));
        assertTrue(e.getMessage().contains("expected a JSON object"), e.getMessage());
    }

    @Test
    void givenADuplicateKey_whenRead_thenLocatedErrorNamingTheKeyAndBothLines() throws Exception {
        String text = design().replace("\"VpnPort\": 443,", "\"VpnPort\": 443,\n    \"VpnPort\": 1194,");
        SourceFormatException e = assertThrows(SourceFormatException.class, () -> WorkspaceFile.read("dup.crew.json", text));
        assertEquals(18, e.line(), e.getMessage());
        assertEquals(5, e.column(), e.getMessage());
        assertTrue(e.getMessage().startsWith("dup.crew.json:18:5: $.ClientVpnEndpoint.VpnPort: duplicate key \"VpnPort\" (first at line 17, again at line 18)"),
                e.getMessage());
    }

    @Test
    void givenDuplicateKeysAnywhere_whenRead_thenRefused() {
        assertThrows(SourceFormatException.class, () -> AwsCliJson.readRoutes("r.json", "{\"Routes\": [], \"Routes\": []}"));
        SourceFormatException inner = assertThrows(SourceFormatException.class, () -> AwsCliJson.readRoutes("r.json",
                "{\"Routes\": [{\"DestinationCidr\": \"10.0.0.0/8\", \"TargetSubnet\": \"a\",\n \"TargetSubnet\": \"b\"}]}"));
        assertEquals(2, inner.line(), inner.getMessage());
        assertTrue(inner.getMessage().contains("$.Routes[0].TargetSubnet: duplicate key \"TargetSubnet\""), inner.getMessage());
        // the same name in two different objects is no duplicate
        assertEquals(2, AwsCliJson.readRoutes("r.json", "{\"Routes\": [{\"DestinationCidr\": \"10.0.0.0/8\", \"TargetSubnet\": \"a\"},"
                + " {\"DestinationCidr\": \"10.1.0.0/16\", \"TargetSubnet\": \"a\"}]}").size());
    }

    @Test
    void givenACidrWithALeadingSpace_whenRead_thenLocatedErrorNamingTheCharacter() throws Exception {
        String text = design().replace("\"ClientCidrBlock\": \"10.200.0.0/22\"", "\"ClientCidrBlock\": \" 10.200.0.0/22\"");
        SourceFormatException e = assertThrows(SourceFormatException.class, () -> WorkspaceFile.read("s.crew.json", text));
        assertEquals(10, e.line(), e.getMessage());
        assertTrue(e.getMessage().contains("$.ClientVpnEndpoint.ClientCidrBlock"), e.getMessage());
        assertTrue(e.getMessage().contains("at character 1: unexpected U+0020 SPACE"), e.getMessage());
        String trailing = design().replace("\"ClientCidrBlock\": \"10.200.0.0/22\"", "\"ClientCidrBlock\": \"10.200.0.0/22\\u00a0\"");
        SourceFormatException t = assertThrows(SourceFormatException.class, () -> WorkspaceFile.read("s.crew.json", trailing));
        assertTrue(t.getMessage().contains("U+00A0 NO-BREAK SPACE"), t.getMessage());
        String dns = design().replace("\"172.31.0.2\"", "\"172.31.0.2 \"");
        assertThrows(SourceFormatException.class, () -> WorkspaceFile.read("s.crew.json", dns));
    }

    @Test
    void givenADesign_whenReadLocated_thenEveryValueHasItsLineAndColumn() throws Exception {
        String text = design();
        WorkspaceFile.Located located = WorkspaceFile.readLocated("d.crew.json", text);
        assertEquals(WorkspaceFile.read("d.crew.json", text), located.design());
        assertEquals(new SourcePosition(1, 1), located.position("$"));
        assertEquals(new SourcePosition(17, 16), located.position("$.ClientVpnEndpoint.VpnPort"));
        // a field the file leaves out: the object that would hold it
        assertEquals(located.position("$.ClientVpnEndpoint"), located.position("$.ClientVpnEndpoint.TransitGatewayId"));
        String[] lines = text.split("\n", -1);
        for (int i = 0; i < located.design().routes().size(); i++) {
            SourcePosition p = located.position("$.Routes[" + i + "]");
            assertEquals('{', lines[p.line() - 1].charAt(p.column() - 1), "route " + i + " at " + p);
            SourcePosition cidr = located.position("$.Routes[" + i + "].DestinationCidr");
            assertTrue(lines[cidr.line() - 1].startsWith("\"" + located.design().routes().get(i).destinationCidr() + "\"", cidr.column() - 1),
                    "route " + i + " CIDR at " + cidr);
        }
        assertNull(located.position("nothing"));
    }

    @Test
    void givenNumbers_whenRead_thenValuesAsWritten() throws Exception {
        EndpointDesign d = WorkspaceFile.read("d.crew.json", design().replace("\"VpnPort\": 443", "\"VpnPort\": 1194e0"));
        assertEquals(1194, d.endpoint().vpnPort());
        SourceFormatException e = assertThrows(SourceFormatException.class,
                () -> WorkspaceFile.read("d.crew.json", design().replace("\"VpnPort\": 443", "\"VpnPort\": 443.5")));
        assertTrue(e.getMessage().contains("expected a whole number"), e.getMessage());
        assertThrows(SourceFormatException.class, () -> WorkspaceFile.read("d.crew.json", design().replace("\"VpnPort\": 443", "\"VpnPort\": 1e99999999999")));
    }

    @Test
    void givenSyntaxErrors_whenRead_thenLineAndColumnOfTheError() {
        SourceFormatException e = assertThrows(SourceFormatException.class, () -> AwsCliJson.readRoutes("r.json", "{\"Routes\": [\n  {\"DestinationCidr\" 1}]}"));
        assertEquals(2, e.line(), e.getMessage());
        assertTrue(e.column() > 0, e.getMessage());
        assertTrue(e.getMessage().startsWith("r.json:2:" + e.column() + ": $.Routes[0].DestinationCidr: malformed JSON"), e.getMessage());
        SourceFormatException after = assertThrows(SourceFormatException.class, () -> AwsCliJson.readRoutes("r.json", "{\"Routes\": []}\n  x"));
        assertEquals("r.json:2:3: unexpected content after the JSON document", after.getMessage());
        SourceFormatException early = assertThrows(SourceFormatException.class, () -> AwsCliJson.readRoutes("r.json", "{\"Routes\": [\n"));
        assertTrue(early.getMessage().contains("ends too early"), early.getMessage());
    }
}
