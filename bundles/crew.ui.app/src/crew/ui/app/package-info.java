/**
 * The workbench's named containers ({@link crew.ui.app.CrewUi}) that UI plugins contribute parts and menus to.
 * <p>
 * API, versioned semantically (docs/plugin-sdk.md): a compatible addition raises the minor version, an incompatible
 * change the major version; the build's baseline check enforces it.
 */
@org.osgi.annotation.versioning.Version("1.0.0")
package crew.ui.app;
