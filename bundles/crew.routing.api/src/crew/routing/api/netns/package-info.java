/**
 * Network namespaces behind an SPI (implemented on Linux only): the lab, namespaced devices, tests.
 * <p>
 * API, versioned semantically with the routing SPI (docs/plugin-sdk.md).
 */
@org.osgi.annotation.versioning.Version("1.0.0")
package crew.routing.api.netns;
