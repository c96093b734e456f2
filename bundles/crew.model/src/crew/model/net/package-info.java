/**
 * IPv4 and IPv6 addresses, CIDRs and the prefix trie; parsing throws a clear error, values are immutable.
 * <p>
 * API, versioned semantically (docs/plugin-sdk.md): a compatible addition raises the minor version, an incompatible
 * change the major version; the build's baseline check enforces it.
 */
@org.osgi.annotation.versioning.Version("1.0.0")
package crew.model.net;
