package dev.flywheel.cli;

/** Entry point of the {@code flywheel} command. */
public final class Flywheel {
    private Flywheel() {}

    public static void main(String[] args) {
        System.out.println("flywheel: under construction");
    }
}
