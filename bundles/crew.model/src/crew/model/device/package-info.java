/**
 * Routes as a device's operating system sees them (destination, gateway, interface, metric, table), OS-neutral.
 * <p>
 * API, versioned semantically (docs/plugin-sdk.md): a compatible addition raises the minor version, an incompatible
 * change the major version; the build's baseline check enforces it.
 */
@org.osgi.annotation.versioning.Version("1.0.0")
package crew.model.device;
