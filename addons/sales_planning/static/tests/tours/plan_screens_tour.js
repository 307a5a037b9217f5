/** What salespeople and planners see on the planning screens they open every day. */
import { registry } from "@web/core/registry";
import { stepUtils } from "@web_tour/tour_service/tour_utils";

const planning = {
    content: "Planning",
    trigger: ".o_main_navbar button[data-menu-xmlid='sales_planning.sales_planning_menu']",
    run: "click",
};

// a salesperson in no sales team: told to ask for a team, not to decompose a plan he cannot decompose
registry.category("web_tour.tours").add("sales_planning_salesperson_without_team", {
    steps: () => [
        ...stepUtils.goToAppSteps("sale.sale_menu_root", "Open the Sales app"),
        planning,
        {
            content: "Plan Lines",
            trigger: ".dropdown-item[data-menu-xmlid='sales_planning.sales_plan_line_menu']",
            run: "click",
        },
        {
            content: "He is told why he has no target and whom to ask",
            trigger: ".o_view_nocontent:contains('You are in no sales team yet'):contains('Ask your sales manager')",
        },
        { content: "Not to decompose a plan", trigger: ".o_view_nocontent:not(:contains('Decompose a plan'))" },
    ],
});

// the planner unfolds a plan's whole breakdown, level by level, from the plan
registry.category("web_tour.tours").add("sales_planning_breakdown_by_level", {
    steps: () => [
        ...stepUtils.goToAppSteps("sale.sale_menu_root", "Open the Sales app"),
        planning,
        {
            content: "Plans",
            trigger: ".dropdown-item[data-menu-xmlid='sales_planning.sales_plan_menu']",
            run: "click",
        },
        { content: "The tour's plan", trigger: ".o_data_row td:contains('Level Plan 2031')", run: "click" },
        { content: "By Level", trigger: ".o_form_view button[name='action_view_levels']", run: "click" },
        {
            content: "The teams first, with their targets",
            trigger: ".o_list_view .o_group_header:contains('North')",
            run: "click",
        },
        { content: "then each team's months", trigger: ".o_list_view .o_group_header:contains('January 2031')" },
    ],
});
