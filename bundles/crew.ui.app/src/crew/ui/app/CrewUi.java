package crew.ui.app;

/**
 * Element ids of the workbench model's named containers. UI bundles target these from their fragment.e4xmi
 * ({@code parentElementId}) to add parts, views, menus and commands.
 */
public final class CrewUi {
    /** The main window. */
    public static final String WINDOW = "crew.ui.window.main";
    /** Left stack: the workspace navigator. */
    public static final String STACK_NAVIGATOR = "crew.ui.stack.navigator";
    /** Centre stack: editors (endpoint editor, designer) and the welcome part. */
    public static final String STACK_EDITORS = "crew.ui.stack.editors";
    /** Bottom stack: views (inspector, tunnel console, error log). */
    public static final String STACK_VIEWS = "crew.ui.stack.views";
    /** Main menu and its menus. */
    public static final String MENU_MAIN = "crew.ui.menu.main";
    public static final String MENU_FILE = "crew.ui.menu.file";
    public static final String MENU_VIEW = "crew.ui.menu.view";
    public static final String MENU_HELP = "crew.ui.menu.help";
    /** Bottom trim bar holding the status line. */
    public static final String TRIM_BOTTOM = "crew.ui.trim.bottom";
    /** The welcome part. */
    public static final String PART_WELCOME = "crew.ui.part.welcome";
    /** Root node of the preference dialog, and the preference node name in the instance scope. */
    public static final String PREFERENCES_ROOT = "crew";
    /** Event broker topic whose String payload the status line shows. */
    public static final String TOPIC_STATUS = "crew/ui/status";

    private CrewUi() {
    }
}
