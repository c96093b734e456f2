/**
 * Route classification: plugins implement {@link crew.routing.inspect.RouteClassifier}; {@code crew inspect} and the live inspector apply every registered classifier.
 * <p>
 * API, versioned semantically (docs/plugin-sdk.md): a compatible addition raises the minor version, an incompatible
 * change the major version; the build's baseline check enforces it.
 */
@org.osgi.annotation.versioning.Version("1.1.0")
package crew.routing.inspect;
