package crew.aws.local;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What the local account stores, as plain mutable fields so that Gson can write it to the state file. Only the
 * local account touches it, under its lock. It never holds credentials: requests carry only signatures.
 */
final class LocalAccountState {
    int nextId = 1;
    String region = "us-east-1";
    String accountId = "000000000000";
    List<Vpc> vpcs = new ArrayList<>();
    List<Subnet> subnets = new ArrayList<>();
    List<Endpoint> endpoints = new ArrayList<>();
    List<Certificate> certificates = new ArrayList<>();

    static final class Vpc {
        String vpcId;
        String cidrBlock;
    }

    static final class Subnet {
        String subnetId;
        String vpcId;
        String cidrBlock;
        String availabilityZone;
        int availableIpAddressCount;
        /** The owning account when another account shares the subnet; null: this account's own. */
        String ownerId;
    }

    static final class Certificate {
        String arn;
        String subject;
        String notAfter;
        String importedAt;
    }

    static final class Endpoint {
        String clientVpnEndpointId;
        String clientToken;
        String description;
        String status;
        String creationTime;
        String dnsName;
        String clientCidrBlock;
        String serverCertificateArn;
        List<Authentication> authentication = new ArrayList<>();
        boolean logEnabled;
        String logGroup;
        String logStream;
        List<String> dnsServers = new ArrayList<>();
        String transportProtocol = "udp";
        int vpnPort = 443;
        boolean splitTunnel;
        List<String> securityGroupIds = new ArrayList<>();
        String vpcId;
        boolean selfServicePortal;
        boolean clientConnectEnabled;
        String clientConnectLambda;
        int sessionTimeoutHours = 24;
        boolean bannerEnabled;
        String bannerText;
        boolean routeEnforcement;
        boolean disconnectOnSessionTimeout = true;
        String endpointIpAddressType = "ipv4";
        String trafficIpAddressType = "ipv4";
        Map<String, String> tags = new LinkedHashMap<>();
        List<Association> associations = new ArrayList<>();
        List<Route> routes = new ArrayList<>();
        List<Rule> rules = new ArrayList<>();
        List<Connection> connections = new ArrayList<>();
    }

    static final class Authentication {
        String type;
        String clientRootCertificateChain;
        String directoryId;
        String samlProviderArn;
        String selfServiceSamlProviderArn;
    }

    static final class Association {
        String associationId;
        String clientToken;
        String subnetId;
        String vpcId;
        String status;
        int describesUntilSettled;
    }

    static final class Route {
        String destinationCidr;
        String targetSubnet;
        String origin;
        String type;
        String description;
        String status;
        String clientToken;
        int describesUntilSettled;
    }

    static final class Rule {
        String destinationCidr;
        String groupId;
        boolean accessAll;
        String description;
        String status;
        String clientToken;
    }

    static final class Connection {
        String connectionId;
        String commonName;
        String clientIp;
        String username;
        String establishedTime;
        String status;
    }
}
