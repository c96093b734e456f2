package crew.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import org.eclipse.swt.SWT;
import org.eclipse.swt.graphics.GC;
import org.eclipse.swt.graphics.Image;
import org.eclipse.swt.graphics.ImageData;
import org.eclipse.swt.graphics.ImageLoader;
import org.eclipse.swt.graphics.Rectangle;
import org.eclipse.swt.widgets.Control;
import org.eclipse.swt.widgets.Display;

/** Saves what a UI test checked as a PNG under target/screenshots/, named after the part. */
public final class Screenshots {

    private Screenshots() {
    }

    /** Paints pending events, then copies {@code control}'s pixels into {@code target/screenshots/<name>.png}. */
    public static Path save(Control control, String name) throws IOException {
        Display display = control.getDisplay();
        for (int i = 0; i < 20; i++) {
            while (display.readAndDispatch()) {
                // let the control paint
            }
        }
        Rectangle size = control.getBounds();
        Image image = new Image(display, Math.max(1, size.width), Math.max(1, size.height));
        GC gc = new GC(control);
        try {
            gc.copyArea(image, 0, 0);
        } finally {
            gc.dispose();
        }
        Path dir = Prerequisites.buildDirectory().resolve("screenshots");
        Files.createDirectories(dir);
        Path file = dir.resolve(name + ".png");
        try {
            ImageData data = image.getImageData();
            ImageLoader loader = new ImageLoader();
            loader.data = new ImageData[] {data};
            loader.save(file.toString(), SWT.IMAGE_PNG);
        } finally {
            image.dispose();
        }
        return file;
    }
}
