/** The planner's path: Sales > Planning > Plans, a new plan with its target and breakdown, Decompose, its lines. */
import { registry } from "@web/core/registry";
import { stepUtils } from "@web_tour/tour_service/tour_utils";

registry.category("web_tour.tours").add("sales_planning_decompose", {
    steps: () => [
        ...stepUtils.goToAppSteps("sale.sale_menu_root", "Open the Sales app"),
        {
            content: "Planning",
            trigger: ".o_main_navbar button[data-menu-xmlid='sales_planning.sales_planning_menu']",
            run: "click",
        },
        {
            content: "Plans",
            trigger: ".dropdown-item[data-menu-xmlid='sales_planning.sales_plan_menu']",
            run: "click",
        },
        { content: "The plans", trigger: ".o_list_view th[data-name='target_amount']" },
        { content: "A new plan", trigger: ".o_list_button_add", run: "click" },
        { content: "Name it", trigger: ".o_form_view .o_field_widget[name='name'] input", run: "edit Tour Plan 2031" },
        {
            content: "It starts with 2031",
            trigger: ".o_form_view .o_field_widget[name='date_from'] input",
            run: "edit 01/01/2031 && press Enter",
        },
        {
            content: "and ends with it",
            trigger: ".o_form_view .o_field_widget[name='date_to'] input",
            run: "edit 12/31/2031 && press Enter",
        },
        {
            content: "The year's target",
            trigger: ".o_form_view .o_field_widget[name='target_amount'] input",
            run: "edit 1200000",
        },
        {
            content: "split over the months",
            trigger: ".o_form_view .o_field_widget[name='time_split'] select",
            run: `select "month"`,
        },
        {
            content: "Break it down by team",
            trigger: ".o_field_widget[name='dimension_ids'] .o_field_x2many_list_row_add a",
            run: "click",
        },
        {
            trigger: ".o_field_widget[name='dimension_ids'] .o_data_row .o_field_widget[name='dimension'] select",
            run: `select "team"`,
        },
        {
            content: "in equal parts",
            trigger: ".o_field_widget[name='dimension_ids'] .o_data_row .o_field_widget[name='basis'] select",
            run: `select "equal"`,
        },
        { content: "Save the plan", trigger: ".o_form_view .o_form_button_save", run: "click" },
        { content: "It is saved", trigger: ".o_form_view .o_form_renderer.o_form_saved" },
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
