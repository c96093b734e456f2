package crew.model.io;

import java.nio.file.Path;

/**
 * CREW's home folder for its state (journals, labs, tunnel sessions, the local AWS account): the {@code crew.home}
 * system property, else {@code $CREW_HOME}, else {@code ~/.crew}. The one definition every bundle uses, so that a
 * test or a user with their own CREW_HOME never shares state with ~/.crew. A blank value counts as unset (it would
 * otherwise mean the current folder).
 */
public final class CrewHome {
    /** The local AWS account's state file under the home, used by {@code crew aws --local} and the workbench. */
    public static final String LOCAL_AWS_ACCOUNT = "aws-local.json";

    private CrewHome() {
    }

    public static Path directory() {
        String p = System.getProperty("crew.home");
        if (p == null || p.isBlank()) {
            p = System.getenv("CREW_HOME");
        }
        if (p == null || p.isBlank()) {
            return Path.of(System.getProperty("user.home"), ".crew");
        }
        return Path.of(p);
    }

    /** $CREW_HOME/aws-local.json. */
    public static Path localAwsAccount() {
        return directory().resolve(LOCAL_AWS_ACCOUNT);
    }
}
