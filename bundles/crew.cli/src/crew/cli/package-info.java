/**
 * The {@code crew} command: plugins implement {@link crew.cli.CliCommand}; CREW provides the context, arguments and registry.
 * <p>
 * API, versioned semantically (docs/plugin-sdk.md): a compatible addition raises the minor version, an incompatible
 * change the major version; the build's baseline check enforces it.
 */
@org.osgi.annotation.versioning.Version("1.0.0")
package crew.cli;
