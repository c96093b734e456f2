package crew.design.internal.rules;

import java.util.List;

import org.osgi.service.component.annotations.Component;

import crew.design.DesignElements;
import crew.design.LintFinding;
import crew.design.LintRule;
import crew.design.Severity;
import crew.model.endpoint.EndpointDesign;

/** CVPN019 banner-length: The client login banner is at most 1400 characters, and enabled needs a text. */
@Component(service = LintRule.class)
public final class BannerLengthRule extends BaseRule {

    public BannerLengthRule() {
        super("CVPN019", "banner-length", Severity.ERROR, "The client login banner is at most 1400 characters, and enabled needs a text.");
    }

    @Override
    void check(EndpointDesign d, List<LintFinding> out) {
        var b = d.endpoint().clientLoginBannerOptions();
        if (b.bannerText() != null && b.bannerText().length() > 1400) {
            out.add(finding("banner has " + b.bannerText().length() + " characters; at most 1400", DesignElements.endpoint("ClientLoginBannerOptions.BannerText")));
        }
        if (b.enabled() && (b.bannerText() == null || b.bannerText().isBlank())) {
            out.add(finding("banner enabled without text", DesignElements.endpoint("ClientLoginBannerOptions"),
                    List.of("ClientLoginBannerOptions.BannerText")));
        }
    }
}
