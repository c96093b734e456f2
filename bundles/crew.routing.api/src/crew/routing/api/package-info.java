/**
 * The routing SPI: a backend reads, changes and watches one OS routing table. Plugins implement {@link crew.routing.api.RoutingBackend} (and optionally its capability interfaces); CREW provides {@link crew.routing.api.RoutingBackends}.
 * <p>
 * API, versioned semantically (docs/plugin-sdk.md): a compatible addition raises the minor version, an incompatible
 * change the major version; the build's baseline check enforces it.
 */
@org.osgi.annotation.versioning.Version("1.1.0")
package crew.routing.api;
