package crew.routing.linux.internal;

import java.util.List;
import java.util.concurrent.Callable;

import org.osgi.service.component.annotations.Component;

import crew.routing.api.NamespaceCapable.ClosableRoutingBackend;
import crew.routing.api.RoutingException;
import crew.routing.api.netns.NetworkNamespaces;
import crew.routing.linux.LinuxNetwork;
import crew.routing.linux.LinuxRouting;

/**
 * Linux's network namespaces behind the OS-neutral SPI: a DS service, and a {@link java.util.ServiceLoader} provider
 * (META-INF/services) for plain class-path processes. Stateless: everything goes to {@link LinuxNetwork} and
 * {@link LinuxRouting}.
 */
@Component(service = NetworkNamespaces.class)
public class LinuxNetworkNamespaces implements NetworkNamespaces {

    @Override
    public void create(String name) throws RoutingException {
        LinuxNetwork.createNamespace(name);
    }

    @Override
    public void delete(String name) throws RoutingException {
        LinuxNetwork.deleteNamespace(name);
    }

    @Override
    public boolean exists(String name) {
        return LinuxNetwork.namespaceExists(name);
    }

    @Override
    public List<String> list() throws RoutingException {
        return LinuxNetwork.namespaces();
    }

    @Override
    public <T> T call(String name, Callable<T> work) throws RoutingException {
        return LinuxNetwork.inNamespace(name, work);
    }

    @Override
    public void sysctl(String namespace, String key, String value) throws RoutingException {
        LinuxNetwork.sysctl(namespace, key, value);
    }

    @Override
    public String sysctl(String namespace, String key) throws RoutingException {
        return LinuxNetwork.sysctl(namespace, key);
    }

    @Override
    public String nft(String namespace, String script) throws RoutingException {
        return LinuxNetwork.nft(namespace, script);
    }

    @Override
    public String[] command(String namespace, String... command) {
        return LinuxNetwork.commandInNamespace(namespace, command);
    }

    @Override
    public ClosableRoutingBackend backend(String name) throws RoutingException {
        return LinuxRouting.namespace(name);
    }
}
