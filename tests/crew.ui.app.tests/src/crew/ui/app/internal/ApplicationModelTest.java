package crew.ui.app.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.net.URL;
import java.util.HashMap;
import java.util.Map;

import javax.xml.parsers.DocumentBuilderFactory;

import org.junit.jupiter.api.Test;
import org.osgi.framework.Bundle;
import org.osgi.framework.FrameworkUtil;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

import crew.ui.app.CrewUi;

/** The application model offers every named container that CrewUi promises to fragment authors. */
class ApplicationModelTest {

    @Test
    void givenApplicationXmi_whenRead_thenEveryCrewUiContainerExistsOnce() throws Exception {
        Bundle bundle = FrameworkUtil.getBundle(CrewUi.class);
        URL xmi = bundle.getEntry("Application.e4xmi");
        assertNotNull(xmi, "Application.e4xmi is packaged in crew.ui.app");
        Document doc;
        try (InputStream in = xmi.openStream()) {
            doc = DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(in);
        }
        Map<String, Integer> ids = new HashMap<>();
        NodeList all = doc.getElementsByTagName("*");
        for (int i = 0; i < all.getLength(); i++) {
            String id = ((Element) all.item(i)).getAttribute("elementId");
            if (!id.isEmpty()) {
                ids.merge(id, 1, Integer::sum);
            }
        }
        for (Field f : CrewUi.class.getFields()) {
            if (Modifier.isStatic(f.getModifiers()) && !f.getName().equals("PREFERENCES_ROOT")
                    && !f.getName().startsWith("TOPIC_")) {
                String id = (String) f.get(null);
                assertEquals(1, ids.getOrDefault(id, 0), "container " + f.getName() + " = " + id);
            }
        }
        Element window = (Element) doc.getElementsByTagName("children").item(0);
        assertTrue(window.getAttribute("label").startsWith("CREW"), "window title names CREW");
        assertNotNull(bundle.getEntry("icons/crew-32.png"), "window icon is packaged");
    }
}
