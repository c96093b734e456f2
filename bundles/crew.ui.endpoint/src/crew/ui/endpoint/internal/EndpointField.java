package crew.ui.endpoint.internal;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import crew.model.endpoint.ClientVpnEndpoint;
import crew.model.endpoint.IpAddressType;
import crew.model.endpoint.TransportProtocol;
import crew.model.net.Cidr;
import crew.model.net.IpAddress;

/**
 * One editable setting of a {@link ClientVpnEndpoint}: where it sits in the console's grouping, how it reads from
 * and parses into the record. Parsing failures throw {@link IllegalArgumentException} with a message for the
 * field's marker.
 *
 * @param path  the record component path, e.g. "connectionLogOptions.cloudwatchLogGroup"
 * @param group the AWS console section
 */
record EndpointField(String path, String group, String label, Kind kind, String help) {

    enum Kind {
        TEXT, CIDR, INT, BOOL, PROTOCOL, IP_TYPE, LIST, IP_LIST, TAGS, MULTILINE
    }

    static final String DETAILS = "Details";
    static final String AUTHENTICATION = "Authentication";
    static final String LOGGING = "Connection logging";
    static final String HANDLER = "Client connect handler";
    static final String OTHER = "Other parameters";

    /** The top-level record component this field edits: what create-only and lint findings name. */
    String topField() {
        int dot = path.indexOf('.');
        return dot < 0 ? path : path.substring(0, dot);
    }

    /**
     * The field's AWS CLI name, as the workspace file and lint findings ({@code LintFinding.fields()}) name it:
     * {@code VpnPort}, {@code ConnectionLogOptions.CloudwatchLogGroup}.
     */
    String awsName() {
        return switch (path) {
            case "clientRouteEnforcement" -> "ClientRouteEnforcementOptions.Enforced";
            case "authenticationOptions.certificate" -> "AuthenticationOptions.MutualAuthentication.ClientRootCertificateChain";
            case "authenticationOptions.directory" -> "AuthenticationOptions.ActiveDirectory.DirectoryId";
            case "authenticationOptions.federated" -> "AuthenticationOptions.FederatedAuthentication.SamlProviderArn";
            case "authenticationOptions.selfService" -> "AuthenticationOptions.FederatedAuthentication.SelfServiceSamlProviderArn";
            default -> {
                StringBuilder b = new StringBuilder();
                for (String part : path.split("\\.")) {
                    if (b.length() > 0) {
                        b.append('.');
                    }
                    b.append(Character.toUpperCase(part.charAt(0))).append(part.substring(1));
                }
                yield b.toString();
            }
        };
    }

    /**
     * Whether a finding about the AWS field {@code name} concerns this field: the same field, or an object that
     * contains it ({@code AuthenticationOptions} concerns every authentication field). TransitGatewayConfiguration is
     * the CLI's other name of the transit gateway id.
     */
    boolean concerns(String name) {
        String n = name.startsWith("TransitGatewayConfiguration") ? "TransitGatewayId" : name;
        String aws = awsName();
        return aws.equals(n) || aws.startsWith(n + ".");
    }

    boolean createOnly() {
        return ClientVpnEndpoint.CREATE_ONLY_FIELDS.contains(topField());
    }

    static List<EndpointField> all() {
        List<EndpointField> f = new ArrayList<>();
        f.add(new EndpointField("description", DETAILS, "Description", Kind.TEXT, "A name for people"));
        f.add(new EndpointField("clientCidrBlock", DETAILS, "Client IPv4 CIDR", Kind.CIDR,
                "Addresses for clients: /12 to /22, must not overlap the VPC or routes"));
        f.add(new EndpointField("serverCertificateArn", DETAILS, "Server certificate ARN", Kind.TEXT, "ACM certificate of the server"));
        f.add(new EndpointField("endpointIpAddressType", DETAILS, "Endpoint IP address type", Kind.IP_TYPE, "ipv4, ipv6 or dual-stack"));
        f.add(new EndpointField("trafficIpAddressType", DETAILS, "Traffic IP address type", Kind.IP_TYPE, "ipv4, ipv6 or dual-stack"));
        f.add(new EndpointField("transportProtocol", DETAILS, "Transport protocol", Kind.PROTOCOL, "udp or tcp"));
        f.add(new EndpointField("vpnPort", DETAILS, "VPN port", Kind.INT, "443 or 1194"));
        f.add(new EndpointField("dnsServers", DETAILS, "DNS servers", Kind.IP_LIST, "Up to two addresses, comma-separated"));
        f.add(new EndpointField("vpcId", DETAILS, "VPC ID", Kind.TEXT, "The VPC whose security groups apply"));
        f.add(new EndpointField("securityGroupIds", DETAILS, "Security group IDs", Kind.LIST, "Comma-separated"));
        f.add(new EndpointField("transitGatewayId", DETAILS, "Transit gateway ID", Kind.TEXT, "Instead of a VPC association"));
        f.add(new EndpointField("authenticationOptions.certificate", AUTHENTICATION, "Client root certificate chain ARN (mutual)",
                Kind.TEXT, "ACM ARN of the client CA: certificate-based authentication"));
        f.add(new EndpointField("authenticationOptions.directory", AUTHENTICATION, "Directory ID (user-based)", Kind.TEXT,
                "AWS Directory Service directory: Active Directory authentication"));
        f.add(new EndpointField("authenticationOptions.federated", AUTHENTICATION, "SAML provider ARN (federated)", Kind.TEXT,
                "IAM SAML provider: federated authentication"));
        f.add(new EndpointField("authenticationOptions.selfService", AUTHENTICATION, "Self-service SAML provider ARN", Kind.TEXT,
                "SAML provider for the self-service portal"));
        f.add(new EndpointField("connectionLogOptions.enabled", LOGGING, "Enable connection logging", Kind.BOOL, ""));
        f.add(new EndpointField("connectionLogOptions.cloudwatchLogGroup", LOGGING, "CloudWatch Logs log group", Kind.TEXT, ""));
        f.add(new EndpointField("connectionLogOptions.cloudwatchLogStream", LOGGING, "CloudWatch Logs log stream", Kind.TEXT, ""));
        f.add(new EndpointField("clientConnectOptions.enabled", HANDLER, "Enable client connect handler", Kind.BOOL, ""));
        f.add(new EndpointField("clientConnectOptions.lambdaFunctionArn", HANDLER, "Lambda function ARN", Kind.TEXT,
                "Name starts with AWSClientVPN-"));
        f.add(new EndpointField("clientRouteEnforcement", OTHER, "Client Route Enforcement (CRE)", Kind.BOOL,
                "Devices watch their routing table and remove routes that would send this endpoint's traffic elsewhere"));
        f.add(new EndpointField("splitTunnel", OTHER, "Split tunnel", Kind.BOOL,
                "Only the endpoint's routes go through the tunnel; off: all traffic does"));
        f.add(new EndpointField("sessionTimeoutHours", OTHER, "Session timeout (hours)", Kind.INT, "8, 10, 12 or 24"));
        f.add(new EndpointField("disconnectOnSessionTimeout", OTHER, "Disconnect on session timeout", Kind.BOOL, ""));
        f.add(new EndpointField("selfServicePortal", OTHER, "Self-service portal", Kind.BOOL, ""));
        f.add(new EndpointField("clientLoginBannerOptions.enabled", OTHER, "Client login banner", Kind.BOOL, ""));
        f.add(new EndpointField("clientLoginBannerOptions.bannerText", OTHER, "Banner text", Kind.MULTILINE, "At most 1400 characters"));
        f.add(new EndpointField("tags", OTHER, "Tags", Kind.TAGS, "key=value, comma-separated"));
        return f;
    }

    /** The field's value as the editor shows it. */
    Object read(ClientVpnEndpoint endpoint) {
        if (path.startsWith("authenticationOptions.")) {
            return Authentication.read(endpoint.authenticationOptions(), path.substring(path.indexOf('.') + 1));
        }
        Object value = RecordEdit.get(endpoint, path);
        return switch (kind) {
            case BOOL -> value;
            case TEXT, MULTILINE -> value == null ? "" : value;
            case CIDR -> value == null ? "" : value.toString();
            case INT -> String.valueOf(value);
            case PROTOCOL -> ((TransportProtocol) value).awsValue();
            case IP_TYPE -> ((IpAddressType) value).awsValue();
            case LIST, IP_LIST -> ((List<?>) value).stream().map(Object::toString).collect(Collectors.joining(", "));
            case TAGS -> ((Map<?, ?>) value).entrySet().stream().sorted(Map.Entry.comparingByKey((a, b) -> a.toString().compareTo(b.toString())))
                    .map(e -> e.getKey() + "=" + e.getValue()).collect(Collectors.joining(", "));
        };
    }

    /** A copy of {@code endpoint} with this field set from the editor's {@code input} (String or Boolean). */
    ClientVpnEndpoint write(ClientVpnEndpoint endpoint, Object input) {
        if (path.startsWith("authenticationOptions.")) {
            return RecordEdit.with(endpoint, "authenticationOptions", Authentication.write(endpoint.authenticationOptions(),
                    path.substring(path.indexOf('.') + 1), ((String) input).trim()));
        }
        Object value = switch (kind) {
            case BOOL -> input;
            case TEXT, MULTILINE -> ((String) input).isBlank() ? null : input;
            case CIDR -> ((String) input).isBlank() ? null : Cidr.parse(((String) input).trim());
            case INT -> parseInt((String) input);
            case PROTOCOL -> TransportProtocol.fromAws(((String) input).trim());
            case IP_TYPE -> IpAddressType.fromAws(((String) input).trim());
            case LIST -> split((String) input);
            case IP_LIST -> split((String) input).stream().map(IpAddress::parse).toList();
            case TAGS -> tags((String) input);
        };
        return RecordEdit.with(endpoint, path, value);
    }

    private static int parseInt(String text) {
        try {
            return Integer.parseInt(text.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("not a whole number: '" + text.trim() + "'");
        }
    }

    private static List<String> split(String text) {
        List<String> parts = new ArrayList<>();
        for (String p : text.split(",")) {
            if (!p.isBlank()) {
                parts.add(p.trim());
            }
        }
        return parts;
    }

    private static Map<String, String> tags(String text) {
        Map<String, String> map = new LinkedHashMap<>();
        for (String pair : split(text)) {
            int eq = pair.indexOf('=');
            if (eq <= 0) {
                throw new IllegalArgumentException("a tag is key=value, not '" + pair + "'");
            }
            map.put(pair.substring(0, eq).trim(), pair.substring(eq + 1).trim());
        }
        return map;
    }
}
