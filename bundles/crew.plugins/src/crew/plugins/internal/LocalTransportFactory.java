package crew.plugins.internal;

import org.eclipse.equinox.p2.core.IProvisioningAgent;
import org.eclipse.equinox.p2.core.spi.IAgentServiceFactory;
import org.osgi.service.component.annotations.Component;

/** Gives every p2 agent CREW's {@link LocalTransport} (p2 looks its transport up by this service name). */
@Component(service = IAgentServiceFactory.class,
        property = IAgentServiceFactory.PROP_CREATED_SERVICE_NAME + "=org.eclipse.equinox.internal.p2.repository.Transport")
public class LocalTransportFactory implements IAgentServiceFactory {
    @Override
    public Object createService(IProvisioningAgent agent) {
        return new LocalTransport();
    }
}
