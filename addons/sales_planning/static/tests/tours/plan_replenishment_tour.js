/** The plan manager replenishes what the approved plan still expects to sell. */
import { registry } from "@web/core/registry";
import { stepUtils } from "@web_tour/tour_service/tour_utils";

registry.category("web_tour.tours").add("sales_planning_replenishment", {
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
        { content: "The approved plan", trigger: ".o_data_row td:contains('Tour Lamp Plan')", run: "click" },
        {
            content: "Replenishment",
            trigger: ".o_form_view button[name='action_open_replenishment']",
            run: "click",
        },
        {
            content: "The report has the Planned Demand column",
            trigger: ".o_list_view th[data-name='sales_planned_demand']",
        },
        {
            content: "The lamp: 100 planned, 20 ordered, 80 still to come; 10 on hand, 20 to deliver, forecast -90",
            trigger:
                ".o_data_row:has(td[name='product_id']:contains('Tour Lamp'))" +
                ":has(td[name='sales_planned_demand']:contains('80.00'))" +
                ":has(td[name='qty_forecast']:contains('-90.00'))" +
                ":has(td[name='qty_to_order']:contains('132.00'))",
        },
    ],
});
