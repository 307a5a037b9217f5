/** The credit controller's daily screens: Sales > Collections > Dunning Letters (empty: what will show there),
 * Receivables Ageing as a graph, Dunning Runs filtered by status (and their group-bys). */
import { registry } from "@web/core/registry";
import { stepUtils } from "@web_tour/tour_service/tour_utils";

const collections = {
    content: "Collections",
    trigger: ".o_main_navbar button[data-menu-xmlid='sales_dunning.sales_collections_menu']",
    run: "click",
};

registry.category("web_tour.tours").add("sales_dunning_collection_screens", {
    steps: () => [
        ...stepUtils.goToAppSteps("sale.sale_menu_root", "Open the Sales app"),
        collections,
        {
            content: "Dunning Letters",
            trigger: ".dropdown-item[data-menu-xmlid='sales_dunning.sales_dunning_letter_menu']",
            run: "click",
        },
        {
            content: "No letter yet: the screen says where letters come from",
            trigger: ".o_view_nocontent .o_view_nocontent_empty_folder:contains('No dunning letter yet')",
        },
        { trigger: ".o_view_nocontent:contains('when a dunning run is computed')" },
        collections,
        {
            content: "Receivables Ageing",
            trigger: ".dropdown-item[data-menu-xmlid='sales_dunning.sales_collection_item_ageing_menu']",
            run: "click",
        },
        { content: "The ageing as a pivot", trigger: ".o_pivot_view" },
        { content: "Graph", trigger: ".o_switch_view.o_graph", run: "click" },
        { content: "The ageing as a graph", trigger: ".o_graph_view .o_graph_renderer" },
        collections,
        {
            content: "Dunning Runs",
            trigger: ".dropdown-item[data-menu-xmlid='sales_dunning.sales_dunning_run_menu']",
            run: "click",
        },
        { content: "The dunning runs", trigger: ".o_list_view th[data-name='letter_count']" },
        { content: "Filters", trigger: ".o_control_panel .o_searchview_dropdown_toggler", run: "click" },
        { content: "Done runs", trigger: ".o_filter_menu .o-dropdown-item:contains('Done')", run: "click" },
        { content: "Runs can be grouped by month", trigger: ".o_group_by_menu:contains('Status'):contains('Month')" },
        { content: "Filtered by status", trigger: ".o_searchview .o_facet_value:contains('Done')" },
    ],
});
