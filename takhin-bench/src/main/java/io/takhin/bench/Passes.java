package io.takhin.bench;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;

/**
 * The warm-up and measured passes of a drain tool, all in one JVM: {@code --warmups} passes whose
 * output is marked and not recorded, then {@code --passes} measured ones. With {@code --pace stdin}
 * each pass first waits for a line on standard input (and the tool ends at its end), so a script can
 * alternate two tools' passes: a native consumer and an HTTP one then measure the same minutes of a
 * shared, noisy machine instead of one after the other.
 */
final class Passes {
    /** One pass; {@code warmup} says whether it is measured. */
    @FunctionalInterface
    interface Pass {
        void run(boolean warmup) throws Exception;
    }

    private Passes() {}

    static void run(Args options, int defaultWarmups, Pass pass) throws Exception {
        int warmups = options.integer("warmups", defaultWarmups);
        int passes = options.integer("passes", 1);
        BufferedReader pace = switch (options.string("pace", "free")) {
            case "free" -> null;
            case "stdin" -> new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
            default -> throw new IllegalArgumentException("--pace must be free or stdin");
        };
        for (int i = 0; i < warmups + passes; i++) {
            if (pace != null && pace.readLine() == null) {
                return; // the script that paced us has ended
            }
            pass.run(i < warmups);
            System.out.flush();
        }
    }
}
