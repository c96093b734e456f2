/**
 * CREW's file formats: designs in the AWS CLI's own field names, device routing-table snapshots.
 * <p>
 * API, versioned semantically (docs/plugin-sdk.md): a compatible addition raises the minor version, an incompatible
 * change the major version; the build's baseline check enforces it.
 */
@org.osgi.annotation.versioning.Version("1.0.0")
package crew.model.io;
