package crew.model.device;

import java.util.List;

import crew.model.net.Cidr;

/** AWS Client Routes Enforcement facts shared by the designer, the inspector and the engine. */
public final class ClientRouteEnforcement {

    /** The ranges AWS CRE never enforces (aws-client-vpn.md, "CRE semantics"). */
    public static final List<Cidr> IGNORED_RANGES = List.of(Cidr.parse("127.0.0.0/8"), Cidr.parse("169.254.0.0/16"),
            Cidr.parse("224.0.0.0/4"), Cidr.parse("255.255.255.255/32"), Cidr.parse("::1/128"), Cidr.parse("fe80::/10"),
            Cidr.parse("ff00::/8"));

    private ClientRouteEnforcement() {
    }
}
