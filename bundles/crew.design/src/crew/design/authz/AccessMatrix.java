package crew.design.authz;

import java.util.List;
import java.util.Map;

import crew.model.net.Cidr;

/** Who may reach which range: rows are rule CIDRs (minus their nested rule CIDRs), columns groups. */
public record AccessMatrix(List<String> groups, List<Row> rows) {

    /** One range: {@code range} except the {@code except} blocks, which other rows decide. */
    public record Row(Cidr range, List<Cidr> except, Map<String, Boolean> allowedByGroup) {
    }
}
