/** The sales manager takes the year's analysis to Excel, with every order line. */
import { registry } from "@web/core/registry";

registry.category("web_tour.tours").add("sales_analytics_export", {
    steps: () => [
        {
            content: "Every order line on a second sheet",
            trigger: ".modal .o_field_widget[name='include_lines'] input",
            run: "click",
        },
        { content: "Export", trigger: ".modal button[name='action_export']", run: "click" },
        {
            content: "The workbook is made and downloads (the buttons come back when the server is done)",
            trigger: ".modal button[name='action_export']:enabled",
        },
    ],
});
