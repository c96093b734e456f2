package crew.model.io;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.util.function.Supplier;

import org.junit.jupiter.api.Test;

/** CREW's one definition of its home: the crew.home property, else $CREW_HOME, else ~/.crew; blank counts as unset. */
class CrewHomeTest {

    /** {@code what} with the crew.home property set to {@code property} (null: cleared), restored afterwards. */
    private static Path with(String property, Supplier<Path> what) {
        String previous = System.getProperty("crew.home");
        if (property == null) {
            System.clearProperty("crew.home");
        } else {
            System.setProperty("crew.home", property);
        }
        try {
            return what.get();
        } finally {
            if (previous == null) {
                System.clearProperty("crew.home");
            } else {
                System.setProperty("crew.home", previous);
            }
        }
    }

    @Test
    void givenTheProperty_thenItIsTheHomeAndTheLocalAccountIsInIt() {
        assertEquals(Path.of("/srv/crew-test"), with("/srv/crew-test", CrewHome::directory));
        assertEquals(Path.of("/srv/crew-test/aws-local.json"), with("/srv/crew-test", CrewHome::localAwsAccount));
    }

    @Test
    void givenABlankOrNoProperty_thenTheEnvironmentOrTheUsersHomeNotTheCurrentFolder() {
        String env = System.getenv("CREW_HOME");
        Path expected = env == null || env.isBlank() ? Path.of(System.getProperty("user.home"), ".crew") : Path.of(env);
        assertEquals(expected, with("  ", CrewHome::directory));
        assertEquals(expected, with(null, CrewHome::directory));
    }
}
