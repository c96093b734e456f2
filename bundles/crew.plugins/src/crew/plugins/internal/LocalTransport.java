package crew.plugins.internal;

import java.io.File;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.JarURLConnection;
import java.net.URI;
import java.net.URLConnection;
import java.nio.file.Files;
import java.nio.file.Path;

import org.eclipse.core.runtime.CoreException;
import org.eclipse.core.runtime.IProgressMonitor;
import org.eclipse.core.runtime.IStatus;
import org.eclipse.core.runtime.Status;
import org.eclipse.equinox.internal.p2.repository.Transport;

/**
 * p2's transport for CREW: local folders ({@code file:}) and zips ({@code jar:file:...!/}) only. CREW installs plugins
 * from a repository the user already has on disk, so the installer opens no network connection and carries no HTTP
 * client (p2's own transport is ECF's). A missing file is a {@link FileNotFoundException}, which p2 takes as "try the
 * next repository format" (content.jar, then content.xml, then compositeContent.*).
 */
final class LocalTransport extends Transport {
    static final String BUNDLE_ID = "crew.plugins";

    @Override
    public IStatus download(URI toDownload, OutputStream target, IProgressMonitor monitor) {
        try (InputStream in = stream(toDownload, monitor)) {
            in.transferTo(target);
            return Status.OK_STATUS;
        } catch (FileNotFoundException e) {
            return new Status(IStatus.ERROR, BUNDLE_ID, 1001 /* ProvisionException.ARTIFACT_NOT_FOUND */, "not found: " + toDownload, e);
        } catch (IOException | CoreException e) {
            return new Status(IStatus.ERROR, BUNDLE_ID, "cannot read " + toDownload + ": " + e.getMessage(), e);
        }
    }

    @Override
    public InputStream stream(URI toDownload, IProgressMonitor monitor) throws FileNotFoundException, CoreException {
        check(toDownload);
        try {
            if ("file".equals(toDownload.getScheme())) {
                return Files.newInputStream(Path.of(toDownload));
            }
            URLConnection connection = toDownload.toURL().openConnection();
            connection.setUseCaches(false); // the JDK's jar cache would keep the zip open
            return connection.getInputStream();
        } catch (FileNotFoundException | java.nio.file.NoSuchFileException e) {
            throw new FileNotFoundException(toDownload.toString());
        } catch (IOException e) {
            throw new CoreException(new Status(IStatus.ERROR, BUNDLE_ID, "cannot read " + toDownload + ": " + e.getMessage(), e));
        }
    }

    @Override
    public long getLastModified(URI toDownload, IProgressMonitor monitor) throws CoreException, FileNotFoundException {
        check(toDownload);
        if ("file".equals(toDownload.getScheme())) {
            File f = new File(toDownload);
            if (!f.exists()) {
                throw new FileNotFoundException(toDownload.toString());
            }
            return f.lastModified();
        }
        try {
            JarURLConnection connection = (JarURLConnection) toDownload.toURL().openConnection();
            connection.setUseCaches(false);
            try (var jar = connection.getJarFile()) {
                var entry = jar.getEntry(connection.getEntryName());
                if (entry == null) {
                    throw new FileNotFoundException(toDownload.toString());
                }
                return entry.getTime();
            }
        } catch (FileNotFoundException e) {
            throw e;
        } catch (IOException e) {
            throw new FileNotFoundException(toDownload + " (" + e.getMessage() + ")");
        }
    }

    private static void check(URI uri) throws CoreException {
        String scheme = uri.getScheme();
        boolean local = "file".equals(scheme) || ("jar".equals(scheme) && uri.getSchemeSpecificPart().startsWith("file:"));
        if (!local) {
            throw new CoreException(new Status(IStatus.ERROR, BUNDLE_ID,
                    "CREW installs plugins from a local folder or zip only, not from " + uri + ": download the repository first"));
        }
    }
}
