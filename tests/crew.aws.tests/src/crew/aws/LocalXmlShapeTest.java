package crew.aws;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.HttpURLConnection;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

import javax.xml.parsers.DocumentBuilderFactory;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Element;
import org.w3c.dom.Node;

import crew.model.endpoint.EndpointDesign;

/** The local account's DescribeClientVpnEndpoints XML has the element names of the parser-checked AWS sample. */
class LocalXmlShapeTest {
    @TempDir
    Path dir;

    private static Set<String> paths(InputStream xml) throws Exception {
        DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
        f.setNamespaceAware(true);
        Element root = f.newDocumentBuilder().parse(xml).getDocumentElement();
        Set<String> out = new TreeSet<>();
        collect(root, root.getLocalName(), out);
        return out;
    }

    private static void collect(Element e, String path, Set<String> out) {
        out.add(path);
        for (Node n = e.getFirstChild(); n != null; n = n.getNextSibling()) {
            if (n instanceof Element c) {
                collect(c, path + "/" + c.getLocalName(), out);
            }
        }
    }

    @Test
    void givenAnEndpointLikeTheSample_whenDescribed_thenEveryElementPathOfTheSampleIsThere() throws Exception {
        try (LocalAccountFixture f = new LocalAccountFixture(dir, null).importCertificates()) {
            EndpointDesign design = f.design(0, 0, List.of(LocalAccountFixture.SUBNET_A));
            ApplyReport r = f.executor(System.out).apply(new Planner().plan(design, (EndpointDesign) null), dir.resolve("s.json"));
            assertTrue(r.succeeded(), r.render());
            f.session.ec2().modifyClientVpnEndpoint(m -> m.clientVpnEndpointId(r.endpointId()).vpcId("vpc-0local00000000001")
                    .securityGroupIds("sg-0abc"));
            HttpURLConnection c = (HttpURLConnection) new URL(f.server.endpoint() + "/").openConnection();
            c.setRequestMethod("POST");
            c.setDoOutput(true);
            c.setRequestProperty("Content-Type", "application/x-www-form-urlencoded; charset=utf-8");
            try (OutputStream out = c.getOutputStream()) {
                out.write(("Action=DescribeClientVpnEndpoints&Version=2016-11-15&ClientVpnEndpointId.1=" + r.endpointId()).getBytes(StandardCharsets.UTF_8));
            }
            assertEquals(200, c.getResponseCode());
            byte[] body = c.getInputStream().readAllBytes();
            Set<String> local = paths(new ByteArrayInputStream(body));
            Set<String> sample;
            try (InputStream in = LocalXmlShapeTest.class.getResourceAsStream("/data/aws-describe-client-vpn-endpoints.xml")) {
                sample = paths(in);
            }
            Set<String> missing = new TreeSet<>(sample);
            missing.removeAll(local);
            assertTrue(missing.isEmpty(), "element paths of the AWS sample missing from the local answer: " + missing);
            assertTrue(local.contains("DescribeClientVpnEndpointsResponse/clientVpnEndpoint/item/connectionLogOptions/Enabled"), "capitalised Enabled");
            Set<String> extra = new TreeSet<>(local);
            extra.removeAll(sample);
            System.out.println("local answer's element paths beyond the sample: " + extra);
        }
    }
}
