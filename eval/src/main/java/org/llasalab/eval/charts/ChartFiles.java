package org.llasalab.eval.charts;

import org.llasalab.io.AtomicFiles;
import de.erichseifert.vectorgraphics2d.VectorGraphics2D;
import de.erichseifert.vectorgraphics2d.svg.SVGProcessor;
import de.erichseifert.vectorgraphics2d.util.PageSize;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.ImageIO;
import org.knowm.xchart.XYChart;

/** Saves a row of chart panels as one PNG and one SVG (atomically). */
public final class ChartFiles {
    static {
        if (System.getProperty("java.awt.headless") == null) System.setProperty("java.awt.headless", "true");
    }

    private ChartFiles() {}

    /** Writes {@code base.png} and {@code base.svg}: the panels side by side, each {@code w x h}. */
    public static void save(List<XYChart> panels, int w, int h, Path base) throws IOException {
        int width = w * panels.size();
        BufferedImage image = new BufferedImage(width, h, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, width, h);
        paint(g, panels, w, h);
        g.dispose();
        Path png = base.resolveSibling(base.getFileName() + ".png");
        AtomicFiles.write(png, tmp -> {
            if (!ImageIO.write(image, "png", tmp.toFile())) throw new IOException("no PNG writer available");
        });
        VectorGraphics2D vg = new VectorGraphics2D();
        paint(vg, panels, w, h);
        Path svg = base.resolveSibling(base.getFileName() + ".svg");
        AtomicFiles.write(svg, tmp -> {
            try (OutputStream out = Files.newOutputStream(tmp)) {
                new SVGProcessor().getDocument(vg.getCommands(), new PageSize(0, 0, width, h)).writeTo(out);
            }
        });
    }

    private static void paint(Graphics2D g, List<XYChart> panels, int w, int h) {
        for (int i = 0; i < panels.size(); i++) {
            Graphics2D sub = (Graphics2D) g.create();
            sub.translate(i * w, 0);
            sub.setClip(0, 0, w, h);
            panels.get(i).paint(sub, w, h);
            sub.dispose();
        }
    }
}
