package crew.plugins;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;

import org.eclipse.core.runtime.IStatus;
import org.eclipse.equinox.internal.p2.director.app.DirectorApplication;
import org.eclipse.equinox.internal.p2.director.app.ILog;
import org.eclipse.equinox.p2.core.IProvisioningAgent;
import org.eclipse.equinox.p2.core.IProvisioningAgentProvider;
import org.eclipse.equinox.p2.core.ProvisionException;
import org.eclipse.equinox.p2.engine.IProfile;
import org.eclipse.equinox.p2.engine.IProfileRegistry;
import org.eclipse.equinox.p2.engine.query.UserVisibleRootQuery;
import org.eclipse.equinox.p2.metadata.IInstallableUnit;
import org.eclipse.equinox.p2.metadata.IInstallableUnitFragment;
import org.eclipse.equinox.p2.metadata.IProvidedCapability;
import org.eclipse.equinox.p2.metadata.IRequirement;
import org.eclipse.equinox.p2.query.IQueryable;
import org.eclipse.equinox.p2.query.QueryUtil;
import org.eclipse.equinox.p2.repository.metadata.IMetadataRepository;
import org.eclipse.equinox.p2.repository.metadata.IMetadataRepositoryManager;
import org.osgi.framework.BundleContext;
import org.osgi.framework.FrameworkUtil;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.runtime.ServiceComponentRuntime;

import crew.cli.ExitCode;
import crew.model.io.CrewHome;
import crew.plugins.internal.BundleHealth;

/**
 * Installs, lists and removes plugins in the running product through the p2 director (Equinox's
 * {@code org.eclipse.equinox.p2.director} application, run in this process against the product's own profile).
 * Changes take effect at the next start of CREW. Only signed content from a signer in the {@link TrustStore} (or one
 * anchored in the JDK's cacerts) is installed, unless the caller allows unsigned content; a jar whose signature does
 * not match its content is refused by p2 in any case. Repositories are local folders or zips: the installer opens no
 * network connection.
 */
@Component(service = PluginManager.class)
public class PluginManager {
    /** Profile property p2 sets on the product's own unit. */
    private static final String PROP_TYPE_PRODUCT = "org.eclipse.equinox.p2.type.product";
    private static final Object DIRECTOR_LOCK = new Object();

    private final IProvisioningAgentProvider agents;
    private final ServiceComponentRuntime scr;
    private final BundleContext context;
    private final Path otherProduct;
    private final String otherProfile;

    @Activate
    public PluginManager(@Reference IProvisioningAgentProvider agents, @Reference ServiceComponentRuntime scr) {
        this(agents, scr, null, null);
    }

    /**
     * A manager of another product than the one running (tools, tests): its folder and its p2 profile's id. Its
     * plugins' bundles are not loaded here: {@link #installed(boolean)} reads their services from their jars.
     */
    public PluginManager(IProvisioningAgentProvider agents, ServiceComponentRuntime scr, Path product, String profileId) {
        this.agents = agents;
        this.scr = scr;
        this.context = FrameworkUtil.getBundle(PluginManager.class).getBundleContext();
        this.otherProduct = product;
        this.otherProfile = profileId;
    }

    /** The product folder this process runs from (osgi.install.area), or the one given. */
    public Path product() {
        if (otherProduct != null) {
            return otherProduct;
        }
        String area = context.getProperty("osgi.install.area");
        if (area == null) {
            throw new IllegalStateException("no osgi.install.area: not started from a CREW product");
        }
        try {
            return Path.of(new URI(area.replace(" ", "%20"))).normalize();
        } catch (URISyntaxException | IllegalArgumentException e) {
            throw new IllegalStateException("osgi.install.area is not a folder: " + area, e);
        }
    }

    /** The product's p2 profile id (eclipse.p2.profile in config.ini). */
    public String profileId() {
        if (otherProfile != null) {
            return otherProfile;
        }
        String id = context.getProperty("eclipse.p2.profile");
        return id == null || id.isBlank() ? "DefaultProfile" : id;
    }

    private Path p2Area() {
        return product().resolve("p2");
    }

    /** The product's trusted signers and the user's ($CREW_HOME/plugins/trusted). */
    public TrustStore trustStore() {
        return new TrustStore(product().resolve("configuration/crew.plugins/trusted"), CrewHome.directory().resolve("plugins/trusted"));
    }

    /**
     * The installed plugins, each with its bundles' state in this process. With {@code activate}, each plugin bundle
     * is started and each of its services fetched once, so that an activator or a component that throws shows up as
     * a problem (this runs the plugins' code).
     */
    public List<InstalledPlugin> installed(boolean activate) throws ProvisionException {
        IProvisioningAgent agent = agents.createAgent(p2Area().toUri());
        try {
            IProfile profile = profile(agent);
            Set<IInstallableUnit> base = new HashSet<>();
            List<IInstallableUnit> roots = new ArrayList<>(profile.query(new UserVisibleRootQuery(), null).toUnmodifiableSet());
            for (IInstallableUnit root : roots) {
                if (Boolean.parseBoolean(profile.getInstallableUnitProperty(root, PROP_TYPE_PRODUCT)) || Boolean.parseBoolean(root.getProperty(PROP_TYPE_PRODUCT))) {
                    reach(profile, root, base);
                }
            }
            BundleHealth health = new BundleHealth(context, scr, product());
            List<InstalledPlugin> plugins = new ArrayList<>();
            roots.sort(Comparator.comparing(IInstallableUnit::getId));
            for (IInstallableUnit root : roots) {
                if (base.contains(root)) {
                    continue;
                }
                Set<IInstallableUnit> own = new LinkedHashSet<>();
                reach(profile, root, own);
                own.removeAll(base);
                List<PluginBundle> bundles = new ArrayList<>();
                own.stream().sorted(Comparator.comparing(IInstallableUnit::getId)).forEach(iu -> {
                    for (IProvidedCapability c : iu.getProvidedCapabilities()) {
                        if ("osgi.bundle".equals(c.getNamespace())) {
                            bundles.add(health.check(c.getName(), c.getVersion().toString(), activate));
                        }
                    }
                });
                String name = root.getProperty(IInstallableUnit.PROP_NAME, null);
                String provider = root.getProperty(IInstallableUnit.PROP_PROVIDER, null);
                plugins.add(new InstalledPlugin(root.getId(), root.getVersion().toString(), name == null || name.startsWith("%") ? root.getId() : name,
                        provider == null || provider.startsWith("%") ? "" : provider, bundles));
            }
            return plugins;
        } finally {
            agent.stop();
        }
    }

    /** Every unit of the profile that {@code from} needs, directly or not, and {@code from} itself. */
    private static void reach(IQueryable<IInstallableUnit> profile, IInstallableUnit from, Set<IInstallableUnit> into) {
        List<IInstallableUnit> todo = new ArrayList<>(List.of(from));
        while (!todo.isEmpty()) {
            IInstallableUnit iu = todo.remove(todo.size() - 1);
            // a fragment unit (p2's configuration of bundles) matches its hosts, which need not be its dependencies
            if (!into.add(iu) || iu instanceof IInstallableUnitFragment) {
                continue;
            }
            for (IRequirement r : iu.getRequirements()) {
                for (IInstallableUnit m : profile.query(QueryUtil.createMatchQuery(r.getMatches()), null)) {
                    if (!into.contains(m)) {
                        todo.add(m);
                    }
                }
            }
        }
    }

    private IProfile profile(IProvisioningAgent agent) throws ProvisionException {
        IProfileRegistry registry = agent.getService(IProfileRegistry.class);
        IProfile profile = registry == null ? null : registry.getProfile(profileId());
        if (profile == null) {
            throw new ProvisionException("the product at " + product() + " has no p2 profile " + profileId() + " (in " + p2Area() + ")");
        }
        return profile;
    }

    /**
     * Installs units from a p2 repository: a folder (with content.xml or content.jar) or a zip of one.
     *
     * @param repository    the folder or zip
     * @param units         the unit ids to install; empty: every feature in the repository
     * @param allowUnsigned also install unsigned content and content signed by a signer not trusted
     */
    public PluginOperation install(Path repository, List<String> units, boolean allowUnsigned) throws IOException {
        if (!Files.exists(repository)) {
            return refused(ExitCode.BAD_INPUT, repository + ": no such folder or zip");
        }
        Path unpacked = null;
        try {
            Path folder = repository;
            if (Files.isRegularFile(repository)) {
                unpacked = Files.createTempDirectory("crew-plugin-repo-");
                unzip(repository, unpacked);
                folder = unpacked;
            }
            Path repo = folder;
            if (Stream.of("content.xml", "content.jar", "content.xml.xz", "compositeContent.xml", "compositeContent.jar").noneMatch(n -> Files.exists(repo.resolve(n)))) {
                return refused(ExitCode.BAD_INPUT, repository + ": not a p2 repository (no content.xml, content.jar or compositeContent.* in it)");
            }
            List<String> roots = units.isEmpty() ? features(repo) : units;
            if (roots.isEmpty()) {
                return refused(ExitCode.BAD_INPUT, repository + ": the repository has no feature to install (name the units with --unit)");
            }
            List<String> args = new ArrayList<>(List.of("-repository", repo.toUri().toString(), "-installIU", String.join(",", roots)));
            args.addAll(trustArguments(allowUnsigned));
            return director(args, roots);
        } finally {
            if (unpacked != null) {
                deleteTree(unpacked);
            }
        }
    }

    /** Removes an installed plugin (a root unit that is not part of CREW itself) and what only it needed. */
    public PluginOperation remove(String id) throws IOException {
        List<InstalledPlugin> plugins;
        try {
            plugins = installed(false);
        } catch (ProvisionException e) {
            return refused(ExitCode.FAILED, e.getMessage());
        }
        String unit = null;
        for (InstalledPlugin p : plugins) {
            if (p.id().equals(id) || p.id().equals(id + ".feature.group")) {
                unit = p.id();
            }
        }
        if (unit == null) {
            List<String> ids = plugins.stream().map(InstalledPlugin::id).toList();
            return refused(ExitCode.BAD_INPUT, "no plugin " + id + " is installed" + (ids.isEmpty() ? " (none is)" : " (installed: " + String.join(", ", ids) + ")"));
        }
        return director(List.of("-uninstallIU", unit), List.of(unit));
    }

    private List<String> trustArguments(boolean allowUnsigned) {
        List<String> problems = new ArrayList<>();
        List<String> fingerprints = trustStore().signers(problems).stream().map(TrustStore.Signer::fingerprint).toList();
        List<String> args = new ArrayList<>();
        if (!allowUnsigned) {
            args.add("-trustSignedContentOnly");
            // an empty list rejects every signer not anchored in cacerts
            args.addAll(List.of("-trustedCertificates", String.join(",", fingerprints)));
        }
        return args;
    }

    private PluginOperation director(List<String> operation, List<String> units) {
        List<String> args = new ArrayList<>(operation);
        args.addAll(List.of("-destination", product().toString(), "-profile", profileId()));
        List<String> messages = new ArrayList<>();
        Object result;
        synchronized (DIRECTOR_LOCK) {
            ProductState state = ProductState.of(product());
            // the director prints some reports (the trust dump) on System.out itself: keep them with its log
            ByteArrayOutputStream printed = new ByteArrayOutputStream();
            PrintStream out = System.out;
            PrintStream err = System.err;
            PrintStream capture = new PrintStream(printed, true, StandardCharsets.UTF_8);
            System.setOut(capture);
            System.setErr(capture);
            try {
                DirectorApplication director = new DirectorApplication();
                director.setLog(new ILog() {
                    @Override
                    public void log(IStatus status) {
                        status(status, messages, "");
                    }

                    @Override
                    public void log(String message) {
                        messages.add(message);
                    }

                    @Override
                    public void printOut(String message) {
                        messages.add(message);
                    }

                    @Override
                    public void printErr(String message) {
                        messages.add(message);
                    }

                    @Override
                    public void close() {
                    }
                });
                result = director.run(args.toArray(String[]::new));
            } catch (RuntimeException e) {
                messages.add("the p2 director failed: " + e);
                result = -1;
            } finally {
                System.setOut(out);
                System.setErr(err);
            }
            for (String line : printed.toString(StandardCharsets.UTF_8).split("\n")) {
                if (!line.isBlank()) {
                    messages.add(line.stripTrailing());
                }
            }
            try {
                state.restore(Integer.valueOf(0).equals(result));
            } catch (IOException e) {
                messages.add("could not undo the director's bookkeeping in " + product() + ": " + e.getMessage());
            }
            if (Integer.valueOf(0).equals(result)) {
                // the headless commands' bundle list follows the product's (docs/startup.md); the agent's never does
                try {
                    HeadlessList.update(product()).ifPresent(messages::add);
                } catch (IOException | RuntimeException e) {
                    messages.add("headless configuration: not updated (" + e.getMessage()
                            + "): headless commands use the full configuration until it is");
                }
            }
        }
        boolean ok = Integer.valueOf(0).equals(result);
        if (!ok) {
            explain(messages);
        }
        int code = ok ? ExitCode.OK : messages.stream().anyMatch(m -> m.contains("has not been found")) ? ExitCode.BAD_INPUT : ExitCode.FAILED;
        return new PluginOperation(ok, code, units, messages);
    }

    /** Puts CREW's reading of the director's refusal first: what was refused and what the user can do. */
    private static void explain(List<String> messages) {
        String all = String.join("\n", messages);
        List<String> hints = new ArrayList<>();
        if (all.contains("unanchored certificates are rejected")) {
            hints.add("refused: signed by a signer CREW does not trust (fingerprint below). Check the fingerprint with the plugin's "
                    + "publisher, then: crew plugin trust CERTIFICATE-OR-SIGNED-JAR");
        }
        if (all.contains("Unsigned content is rejected")) {
            hints.add("refused: unsigned content (listed below). Install it only if you trust where it came from: --allow-unsigned");
        }
        if (all.contains("invalid") || all.contains("tampered") || all.contains("does not match")) {
            hints.add("refused: a jar's content does not match its signature (tampered or damaged after signing)");
        }
        messages.addAll(0, hints);
    }

    private static void status(IStatus status, List<String> into, String indent) {
        if (status.getMessage() != null && !status.getMessage().isBlank()) {
            into.add(indent + status.getMessage());
        }
        for (IStatus child : status.getChildren()) {
            status(child, into, indent + "  ");
        }
    }

    private static PluginOperation refused(int code, String message) {
        return new PluginOperation(false, code, List.of(), List.of(message));
    }

    /** The feature groups in a repository folder, through a scratch p2 agent (the product's is not touched). */
    private List<String> features(Path repository) throws IOException {
        Path scratch = Files.createTempDirectory("crew-plugin-agent-");
        try {
            IProvisioningAgent agent = agents.createAgent(scratch.toUri());
            try {
                IMetadataRepositoryManager manager = agent.getService(IMetadataRepositoryManager.class);
                IMetadataRepository repo = manager.loadRepository(repository.toUri(), null);
                List<String> ids = new ArrayList<>();
                for (IInstallableUnit iu : repo.query(QueryUtil.createIUGroupQuery(), null)) {
                    if (iu.getId().endsWith(".feature.group")) {
                        ids.add(iu.getId());
                    }
                }
                ids.sort(null);
                return ids;
            } finally {
                agent.stop();
            }
        } catch (ProvisionException e) {
            throw new IOException(repository + ": cannot read the repository: " + e.getMessage(), e);
        } finally {
            deleteTree(scratch);
        }
    }

    /** Unzips {@code zip} into {@code into}, refusing entries that would land outside it. */
    static void unzip(Path zip, Path into) throws IOException {
        try (InputStream raw = Files.newInputStream(zip); ZipInputStream in = new ZipInputStream(raw)) {
            ZipEntry e;
            boolean any = false;
            while ((e = in.getNextEntry()) != null) {
                any = true;
                Path target = into.resolve(e.getName()).normalize();
                if (!target.startsWith(into)) {
                    throw new IOException(zip + ": entry " + e.getName() + " points outside the archive");
                }
                if (e.isDirectory()) {
                    Files.createDirectories(target);
                } else {
                    Files.createDirectories(target.getParent());
                    Files.copy(in, target, StandardCopyOption.REPLACE_EXISTING);
                }
            }
            if (!any) {
                throw new IOException(zip + ": not a zip (or an empty one)");
            }
        } catch (IllegalArgumentException e) {
            throw new IOException(zip + ": not a zip (" + e.getMessage() + ")", e);
        }
    }

    static void deleteTree(Path root) {
        try (Stream<Path> all = Files.walk(root)) {
            all.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // a temporary folder: nothing to do about it
        }
    }

}
