-- Events opened before sourcing events had a workflow were issued requests for quotation: "open" becomes "rfx_issued".
UPDATE "sourcing_events" SET "status" = 'rfx_issued' WHERE "status" = 'open';
