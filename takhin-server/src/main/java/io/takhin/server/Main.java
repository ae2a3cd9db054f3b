package io.takhin.server;

import java.io.PrintStream;
import java.util.Arrays;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** {@code takhin serve [--key=value ...]} and {@code takhin --help}. */
public final class Main {
    private static final Logger log = LoggerFactory.getLogger(Main.class);

    private Main() {}

    public static void main(String[] args) {
        List<String> arguments = Arrays.asList(args);
        if (arguments.isEmpty() || arguments.contains("--help") || arguments.contains("-h")) {
            printHelp(System.out);
            return;
        }
        if (!arguments.get(0).equals("serve")) {
            System.err.println("takhin: unknown command '" + arguments.get(0) + "'; try 'takhin --help'");
            System.exit(2);
        }
        TakhinServer server;
        try {
            server = TakhinServer.start(arguments.subList(1, arguments.size()));
        } catch (ConfigException e) {
            System.err.println("takhin: " + e.getMessage());
            System.exit(2);
            return;
        }
        Runtime.getRuntime()
                .addShutdownHook(Thread.ofPlatform().name("shutdown").unstarted(() -> {
                    log.info("Stopping Takhin");
                    server.close();
                }));
        server.awaitStop();
    }

    static void printHelp(PrintStream out) {
        out.println("Takhin: a streaming-log server with an HTTP consumer API for Kafka-style topics.");
        out.println();
        out.println("Usage: takhin serve [--key=value ...]   start the server");
        out.println("       takhin --help                    this text");
        out.println();
        out.println("Settings (flags; or lines key=value in a file given with --config FILE; flags win):");
        for (Setting setting : Settings.ALL) {
            out.printf("  --%-36s %s%n", setting.key() + "=" + setting.defaultValue(), setting.doc());
            if (setting.type() == Setting.Type.LONG) {
                out.printf("    %-36s allowed: %s%n", "", setting.range());
            }
        }
    }
}
