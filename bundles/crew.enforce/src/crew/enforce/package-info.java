/**
 * The CRE engine's API: plugins implement {@link crew.enforce.EnforcementPolicy} and {@link crew.enforce.EnforcementEventSink}; the engine's own types are provided by CREW.
 * <p>
 * API, versioned semantically (docs/plugin-sdk.md): a compatible addition raises the minor version, an incompatible
 * change the major version; the build's baseline check enforces it.
 */
@org.osgi.annotation.versioning.Version("1.0.0")
package crew.enforce;
