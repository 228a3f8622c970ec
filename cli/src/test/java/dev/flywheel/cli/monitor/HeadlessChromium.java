package dev.flywheel.cli.monitor;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Assumptions;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

/**
 * The distribution's headless Chromium driven through its own chromedriver: both paths are given, so Selenium
 * Manager never looks for (or downloads) a browser or a driver, and a fresh profile keeps runs independent.
 */
final class HeadlessChromium {

    static final Path BROWSER = Path.of("/usr/bin/chromium");
    static final Path DRIVER = Path.of("/usr/bin/chromedriver");

    private HeadlessChromium() {
    }

    /** Skips the calling test, saying what to install, on a machine without Chromium. */
    static void assumeInstalled() {
        Assumptions.assumeTrue(Files.isExecutable(BROWSER) && Files.isExecutable(DRIVER),
                "no Chromium at " + BROWSER + " with a driver at " + DRIVER + ": the dashboard's browser test needs "
                        + "Debian's chromium and chromium-driver (apt-get install chromium chromium-driver; .ci/run "
                        + "installs them)");
    }

    /** A headless browser with a window tall enough to hold the whole dashboard, profile in {@code profile}. */
    static ChromeDriver open(Path profile) {
        try {
            Files.createDirectories(profile);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(DRIVER.toFile())
                .usingAnyFreePort().withLogFile(new File(profile.toFile(), "chromedriver.log")).build();
        ChromeOptions options = new ChromeOptions();
        options.setBinary(BROWSER.toFile());
        options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--disable-dev-shm-usage", "--window-size=1400,2300", "--user-data-dir=" + profile.resolve("profile"));
        return new ChromeDriver(service, options);
    }
}
