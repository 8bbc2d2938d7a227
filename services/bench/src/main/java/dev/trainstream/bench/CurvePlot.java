package dev.trainstream.bench;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import javax.imageio.ImageIO;

/** Draws the per-epoch accuracy curve (train and test, 0..100%) as a PNG with plain Java2D. */
final class CurvePlot {

    private static final int WIDTH = 800;
    private static final int HEIGHT = 500;
    private static final int MARGIN = 60;

    private CurvePlot() {}

    /** Writes {@code png} with one line per series; values are fractions in [0, 1], one per epoch. */
    static void write(Path png, String title, List<Double> train, List<Double> test) throws IOException {
        BufferedImage image = new BufferedImage(WIDTH, HEIGHT, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        try {
            g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
            g.setColor(Color.WHITE);
            g.fillRect(0, 0, WIDTH, HEIGHT);
            g.setColor(Color.BLACK);
            g.drawString(title, MARGIN, MARGIN / 2);
            g.drawLine(MARGIN, HEIGHT - MARGIN, WIDTH - MARGIN, HEIGHT - MARGIN);
            g.drawLine(MARGIN, MARGIN, MARGIN, HEIGHT - MARGIN);
            for (int pct = 0; pct <= 100; pct += 10) {
                int y = y(pct / 100.0);
                g.setColor(Color.LIGHT_GRAY);
                g.drawLine(MARGIN + 1, y, WIDTH - MARGIN, y);
                g.setColor(Color.BLACK);
                g.drawString(pct + "%", 20, y + 4);
            }
            int epochs = Math.max(train.size(), test.size());
            for (int e = 1; e <= epochs; e++) {
                g.drawString(Integer.toString(e), x(e, epochs) - 4, HEIGHT - MARGIN + 18);
            }
            g.drawString("epoch", WIDTH / 2, HEIGHT - 15);
            series(g, train, epochs, new Color(0x1f77b4), "train (augmented)", 0);
            series(g, test, epochs, new Color(0xd62728), "test", 1);
        } finally {
            g.dispose();
        }
        ImageIO.write(image, "png", png.toFile());
    }

    private static void series(Graphics2D g, List<Double> values, int epochs, Color color, String label, int row) {
        g.setColor(color);
        g.setStroke(new BasicStroke(2f));
        for (int i = 1; i < values.size(); i++) {
            g.drawLine(x(i, epochs), y(values.get(i - 1)), x(i + 1, epochs), y(values.get(i)));
        }
        for (int i = 0; i < values.size(); i++) {
            g.fillOval(x(i + 1, epochs) - 3, y(values.get(i)) - 3, 6, 6);
        }
        String last = values.isEmpty() ? "" : String.format(Locale.ROOT, " (last %.2f%%)",
                100 * values.get(values.size() - 1));
        g.drawString(label + last, WIDTH - MARGIN - 220, MARGIN + 20 + 16 * row);
    }

    private static int x(int epoch, int epochs) {
        return MARGIN + (int) ((WIDTH - 2.0 * MARGIN) * epoch / Math.max(1, epochs + 1));
    }

    private static int y(double fraction) {
        return HEIGHT - MARGIN - (int) ((HEIGHT - 2.0 * MARGIN) * fraction);
    }
}
