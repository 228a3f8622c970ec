package dev.flywheel.cli.monitor;

import java.time.Duration;
import java.util.function.Predicate;
import java.util.function.Supplier;
import org.openqa.selenium.By;
import org.openqa.selenium.NoSuchElementException;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The dashboard as a person sees it: the visible text of its cards, charts and tables. The page redraws its tables
 * on every poll, so a read that meets an element replaced under it reads again.
 */
final class DashboardPage {

    private static final int READ_ATTEMPTS = 5;

    private final WebDriver browser;

    DashboardPage(WebDriver browser) {
        this.browser = browser;
    }

    /** The visible text of the element with this id. */
    String text(String id) {
        return read(() -> browser.findElement(By.id(id)).getText().trim());
    }

    /** How many points (or bars) a chart drew. */
    int pointsOf(String chartId) {
        return Integer.parseInt(read(() -> browser.findElement(By.id(chartId)).getDomAttribute("data-points")));
    }

    /** The lag in records shown in the consumer-group table's row of {@code group}, as text. */
    String lagOf(String group) {
        return read(() -> browser.findElement(By.cssSelector("#lag-table tr[data-group='" + group + "'] td.lag-records"))
                .getText().trim());
    }

    /** The status shown in the consumer-group table's row of {@code group}. */
    String statusOf(String group) {
        return read(() -> browser.findElement(By.cssSelector("#lag-table tr[data-group='" + group + "'] .badge"))
                .getText().trim());
    }

    /** The page's count of renders so far (one per successful poll). */
    long renders() {
        String renders = read(() -> browser.findElement(By.tagName("body")).getDomAttribute("data-renders"));
        return renders == null ? 0 : Long.parseLong(renders);
    }

    /** Waits, polling the page, until {@code condition} holds (elements not drawn yet count as not yet). */
    void awaitUntil(Duration timeout, String what, Predicate<DashboardPage> condition) {
        new WebDriverWait(browser, timeout, Duration.ofMillis(500))
                .withMessage(() -> "the dashboard never showed " + what + "; it shows:\n" + shown())
                .ignoring(NoSuchElementException.class).ignoring(NumberFormatException.class)
                .until(driver -> condition.test(this));
    }

    /** What the cards and the lag table say, for a failure message. */
    private String shown() {
        try {
            return text("connection") + "\n" + read(() -> browser.findElement(By.className("cards")).getText()) + "\n"
                    + read(() -> browser.findElement(By.id("lag-table")).getText());
        } catch (RuntimeException e) {
            return "(unreadable: " + e + ")";
        }
    }

    private static String read(Supplier<String> read) {
        StaleElementReferenceException last = null;
        for (int attempt = 0; attempt < READ_ATTEMPTS; attempt++) {
            try {
                return read.get();
            } catch (StaleElementReferenceException redrawn) {
                last = redrawn;
            }
        }
        throw last;
    }
}
