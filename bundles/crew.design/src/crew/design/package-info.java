/**
 * Design checks: plugins implement {@link crew.design.LintRule}; {@code crew lint} and the endpoint editor run every registered rule.
 * <p>
 * API, versioned semantically (docs/plugin-sdk.md): a compatible addition raises the minor version, an incompatible
 * change the major version; the build's baseline check enforces it.
 */
@org.osgi.annotation.versioning.Version("1.0.0")
package crew.design;
