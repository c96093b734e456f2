package crew.routing.api.netns;

import java.util.Optional;

/**
 * The OSGi half of {@link NetworkNamespaces#find()}, kept apart so that a plain class-path process without the OSGi
 * framework classes never loads it.
 */
final class OsgiLookup {

    private OsgiLookup() {
    }

    static Optional<NetworkNamespaces> find() {
        try {
            return Framework.find();
        } catch (NoClassDefFoundError notInAFramework) {
            return Optional.empty();
        }
    }

    private static final class Framework {
        static Optional<NetworkNamespaces> find() {
            org.osgi.framework.Bundle bundle = org.osgi.framework.FrameworkUtil.getBundle(NetworkNamespaces.class);
            org.osgi.framework.BundleContext context = bundle == null ? null : bundle.getBundleContext();
            if (context == null) {
                return Optional.empty();
            }
            org.osgi.framework.ServiceReference<NetworkNamespaces> ref = context.getServiceReference(NetworkNamespaces.class);
            // a service this bundle's context holds for the life of the framework: the implementation is a stateless facade
            return ref == null ? Optional.empty() : Optional.ofNullable(context.getService(ref));
        }
    }
}
