/** The planner breaks a draft plan down: open it, Decompose, look at its lines. */
import { registry } from "@web/core/registry";

registry.category("web_tour.tours").add("sales_planning_decompose", {
    steps: () => [
        { content: "Open the draft plan", trigger: ".o_data_row:contains('Tour Plan 2031') .o_data_cell", run: "click" },
        { content: "Break its target down", trigger: ".o_form_view button[name='action_decompose']", run: "click" },
        {
            content: "Open the plan's lines",
            trigger: ".o_form_view button[name='action_view_lines']:has(.o_stat_text:contains('Plan Lines'))",
            run: "click",
        },
        {
            content: "The plan's target breaks down by team",
            trigger: ".o_data_row:contains('Tour Plan 2031') button[name='action_open_breakdown']",
            run: "click",
        },
        {
            content: "and each team's over the months",
            trigger: ".o_data_row:first-child button[name='action_open_breakdown']",
            run: "click",
        },
        { content: "down to December", trigger: ".o_data_row:contains('2031-12')" },
    ],
});
